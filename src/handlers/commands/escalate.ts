import { fail, ok, type Result } from '../../core/result.js';
import type { Seat } from '../../core/model.js';
import type { HandlerContext } from '../context.js';
import { conversationOf, seatOf } from '../preconditions.js';
import type { Command } from './types.js';
import { seatOfMention } from './lookup.js';
import { person, reason } from './options.js';
import { t } from '../../i18n/format.js';
import { readerLanguage } from '../../i18n/choose-language.js';

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
  if (!unique.length) return fail('bad_arguments', { usage: 'usage.escalate_who', example: '!escalate @ana @li customer threatens to cancel' });
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
    const lang = readerLanguage(ctx.desk.settings, seat);
    const why = reason ? t(lang, 'notice.reason', { reason }) : '';
    await ctx.desk.dmSeat(seat, t(lang, 'dm.escalated', { by, customer: conv.customer.name ?? t(lang, 'word.a_customer'), channel: conv.channel, reason: why }), conv.id);
  }
  const names = seats.map((s) => s.name);
  const to = names.length === 2 ? t(ctx.threadLang, 'word.list_and', { a: names[0]!, b: names[1]! }) : names.join('');
  await ctx.reply(t(ctx.threadLang, 'notice.escalated', { by, to, reason: reason ? t(ctx.threadLang, 'notice.reason', { reason }) : '' }));
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
