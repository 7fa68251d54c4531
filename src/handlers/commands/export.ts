import { t } from '../../i18n/format.js';
import { readerLanguage } from '../../i18n/choose-language.js';
import { fail, ok } from '../../core/result.js';
import type { Command, CommandInput } from './types.js';
import { seatOf } from '../preconditions.js';
import { DATE, queueOption } from './options.js';

const DAY = 86_400_000;

/** The queue to export, if one is named: the word that is not a date. */
const queueIn = ({ args }: CommandInput) => args.words.find((w) => !DATE.regex.test(w));

/**
 * `/export [from] [to] [queue]` (SPEC §6): transcripts as CSV, streamed to a
 * file and sent by DM; progress shown; recorded with its row count in the
 * audit log, which feeds the export rule of the security monitor.
 */
export const exportCommand: Command = {
  name: 'export',
  usage: 'export [from YYYY-MM-DD] [to YYYY-MM-DD] [queue]',
  description: 'Transcripts as CSV, sent by DM',
  options: [
    { name: 'from', description: 'First day, like 2026-11-01', type: 'string', pattern: DATE },
    { name: 'to', description: 'Last day, like 2026-11-21', type: 'string', pattern: DATE, needs: 'from' },
    queueOption('Only this queue', false),
  ],
  example: '/export from:2026-11-01 to:2026-11-21',
  // Streams every transcript in the range: seconds to minutes.
  long: true,
  requires: { seat: true, enabled: true, permission: 'data.export', action: 'export transcripts', department: { queueIn } },
  async run(ctx, input) {
    const { desk } = ctx;
    const seat = seatOf(ctx);
    const { args } = input;
    const dates = args.words.filter((w) => DATE.regex.test(w));
    const queue = queueIn(input);
    const now = desk.clock.now();
    const from = dates[0] ? Date.parse(`${dates[0]}T00:00:00Z`) : 0;
    const to = dates[1] ? Date.parse(`${dates[1]}T00:00:00Z`) + DAY : now + DAY;
    if (!(from < to)) return fail('bad_arguments', { usage: 'usage.export_order', example: '/export 2026-11-01 2026-11-21 default' });
    if (!desk.exportFiles) return fail('bad_arguments', { usage: 'usage.export_off' });
    const name = `threaddesk-export-${new Date(now).toISOString().slice(0, 19).replace(/[:T]/g, '-')}-${seat.id}.csv`;
    const sink = await desk.exportFiles(name);
    await ctx.replyPrivately(t(ctx.lang, 'export.started'));
    let result;
    try {
      result = await desk.exportTranscripts(seat, { from, to, ...(queue ? { queue } : {}) }, sink, (rows) => ctx.replyPrivately(t(ctx.lang, 'export.progress', { rows })));
    } catch (err) {
      await sink.abort();
      throw err;
    }
    const file = await sink.finish();
    await desk.audit(seat.id, 'data.export', queue ?? 'all queues', undefined, { rows: result.rows, conversations: result.conversations, from: new Date(from).toISOString(), to: new Date(to).toISOString(), bytes: file.bytes });
    const lang = readerLanguage(desk.settings, seat);
    await desk.dmSeat(seat, t(lang, 'dm.export_ready', { rows: result.rows, conversations: result.conversations, queue: queue ? t(lang, 'dm.export_queue', { queue }) : '' }), undefined, { path: file.path, name });
    return ok(result);
  },
};
