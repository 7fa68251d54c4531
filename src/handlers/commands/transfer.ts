import { fail, ok } from '../../core/result.js';
import { conversationOf, inConversation, seatOf } from '../preconditions.js';
import type { Command } from './types.js';
import { seatOfMention } from './lookup.js';
import { person, reason } from './options.js';

/** `transfer @seat [reason]` (SPEC §6): the receiver is told by DM, the team in the thread. */
export const transferCommand: Command = {
  name: 'transfer',
  usage: 'transfer @colleague [reason]',
  description: 'Hand the conversation of this thread to a colleague',
  options: [person('user', 'Who takes it over', true), reason(false)],
  example: '/transfer user:@ana reason:going off shift',
  requires: inConversation('chat.claim', 'transfer'),
  async run(ctx, { mentions, args }) {
    const conv = conversationOf(ctx);
    if (mentions.length !== 1) return fail('bad_arguments', { usage: 'transfer goes to exactly one colleague', example: '!transfer @ana customer wants a refund' });
    const to = await seatOfMention(ctx, mentions[0]!);
    if (!to) return fail('unknown_seat', { who: 'The colleague you named' });
    const result = await ctx.desk.transfer(conv, ctx.seat, to, args.rest);
    if (!result.ok) return result;
    const by = seatOf(ctx).name;
    const reason = args.rest ? `: ${args.rest}` : '';
    await ctx.reply(`🔁 ${by} transferred this conversation to ${to.name}${reason}. Their replies in this thread now go to the customer.`);
    await ctx.desk.dmSeat(to, `🔁 ${by} handed you a conversation with ${conv.customer.name ?? 'a customer'} (${conv.channel})${reason}. Reply in its thread to answer.`, conv.id);
    return ok(undefined);
  },
};
