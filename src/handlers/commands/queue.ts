import { ok } from '../../core/result.js';
import type { Command } from './types.js';
import { queueOption } from './options.js';
import { seatOf } from '../preconditions.js';

/**
 * `/queue [name]` (SPEC §7): what waits in a queue, oldest first, and who is
 * online there, shown privately in the messenger's own form with a Claim
 * button per waiting conversation. Without a name: every queue the seat may
 * see. Which queues those are is the core's to decide (mayViewQueue).
 */
export const queueCommand: Command = {
  name: 'queue',
  usage: 'queue [name]',
  description: 'What waits in your queues and who is online',
  example: '/queue queue:refunds',
  options: [queueOption('Only this queue', false)],
  requires: { seat: true, enabled: true, permission: 'chat.claim', action: 'see queues' },
  async run(ctx, { args }) {
    const name = args.words[0];
    const result = await ctx.desk.queueOverview(seatOf(ctx), name);
    if (!result.ok) return result;
    await ctx.showPrivately({ kind: 'queues', lang: ctx.lang, queues: result.value });
    return ok(undefined);
  },
};
