import { ok } from '../../core/result.js';
import { isPeriodWord } from '../../core/stats/stat-range.js';
import type { Command, CommandInput } from './types.js';
import { queueOption } from './options.js';
import { seatOf } from '../preconditions.js';

/** The queue asked for, if any: the word that is not a period. */
const queueIn = ({ args }: CommandInput) => args.words.find((w) => !isPeriodWord(w));

/**
 * `/stats [today|week|FROM..TO] [queue]` (SPEC §7): figures of the seat's
 * departments (supervisors, leads, admins), shown privately in the
 * messenger's own form. Which departments, and the days in each one's time
 * zone, are the core's to decide (stats/stats-for-seat.ts).
 */
export const statsCommand: Command = {
  name: 'stats',
  usage: 'stats [today|week|YYYY-MM-DD..YYYY-MM-DD] [queue]',
  description: 'Figures of your departments: volume, response times, coverage',
  example: '/stats period:week queue:refunds',
  options: [
    { name: 'period', description: 'today, week (the last 7 days) or YYYY-MM-DD..YYYY-MM-DD', type: 'string', maxLength: 22, pattern: { regex: /^(today|week|\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2})$/i, hint: 'usage.stats' } },
    queueOption('Only this queue', false),
  ],
  requires: { seat: true, enabled: true, permission: 'stats.view', action: 'see figures', department: { queueIn } },
  async run(ctx, input) {
    const period = input.args.words.find(isPeriodWord);
    const result = await ctx.desk.stats(seatOf(ctx), period, queueIn(input));
    if (!result.ok) return result;
    await ctx.showPrivately({ kind: 'stats', lang: ctx.lang, departments: result.value });
    return ok(undefined);
  },
};
