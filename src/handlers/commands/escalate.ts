import { fail, ok, type Result } from '../../core/result.js';
import type { Seat } from '../../core/model.js';
import type { HandlerContext } from '../context.js';
import { conversationOf, seatOf } from '../preconditions.js';
import type { Command } from './types.js';
import { seatOfMention } from './lookup.js';
import { person, reason } from './options.js';

/**
 * Calls in at most two colleagues (SPEC §5): from `escalate @a [@b] reason`
 * or a thread message that mentions them. Each gets a DM with the customer,
 * the reason and a link to the thread. More than two: nothing is sent.
 * Runs in a conversation (the command's precondition; a thread message always
 * has one). Who may escalate is checked by the command's preconditions and
 * again by `desk.escalate`, the only check a thread message's escalation has.
 */
export async function escalate(ctx: HandlerContext, mentions: readonly string[], reason: string): Promise<Result<Seat[]>> {
  const conv = conversationOf(ctx);
  const unique = [...new Set(mentions)];
  if (unique.length > 2) return fail('too_many_mentions', { count: unique.length });
  if (!unique.length) return fail('bad_arguments', { usage: 'name one or two colleagues to call in', example: '!escalate @ana @li customer threatens to cancel' });
  const seats: Seat[] = [];
  for (const userId of unique) {
    const seat = await seatOfMention(ctx, userId);
    if (!seat || !seat.enabled) return fail('unknown_seat', { who: 'A colleague you named' });
    seats.push(seat);
  }
  const result = await ctx.desk.escalate(conv, ctx.seat, seats, reason);
  if (!result.ok) return result;
  const by = seatOf(ctx).name;
  for (const seat of seats) {
    await ctx.desk.dmSeat(seat, `📣 ${by} needs you on a conversation with ${conv.customer.name ?? 'a customer'} (${conv.channel})${reason ? `: ${reason}` : ''}.`, conv.id);
  }
  await ctx.reply(`📣 ${by} called in ${seats.map((s) => s.name).join(' and ')}${reason ? `: ${reason}` : ''}.`);
  return ok(seats);
}

export const escalateCommand: Command = {
  name: 'escalate',
  usage: 'escalate @colleague [@colleague] reason',
  description: 'Call at most two colleagues into this conversation',
  options: [person('first', 'A colleague', true), reason(true), person('second', 'Another colleague', false)],
  example: '/escalate first:@ana reason:customer threatens to cancel',
  // The department is checked by desk.escalate, which words a chat of another
  // department as permission_denied (not outside_department) for both paths.
  requires: { conversation: true, seat: true, enabled: true, permission: 'chat.reply', action: 'escalate' },
  run: (ctx, { mentions, args }) => escalate(ctx, mentions, args.rest),
};
