import { fail, ok } from '../../core/result.js';
import { conversationOf, inConversation, seatOf } from '../preconditions.js';
import type { Command } from './types.js';
import { seatOfMention } from './lookup.js';
import { person, reason } from './options.js';
import { t } from '../../i18n/format.js';
import { readerLanguage } from '../../i18n/choose-language.js';

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
    if (mentions.length !== 1) return fail('bad_arguments', { usage: 'usage.transfer_one', example: '!transfer @ana customer wants a refund' });
    const to = await seatOfMention(ctx, mentions[0]!);
    if (!to) return fail('unknown_seat', { who: 'The colleague you named' });
    const result = await ctx.desk.transfer(conv, ctx.seat, to, args.rest);
    if (!result.ok) return result;
    const by = seatOf(ctx).name;
    const reason = (lang: string) => (args.rest ? t(lang, 'notice.reason', { reason: args.rest }) : '');
    await ctx.reply(t(ctx.threadLang, 'notice.transferred', { by, to: to.name, reason: reason(ctx.threadLang) }));
    const theirs = readerLanguage(ctx.desk.settings, to);
    await ctx.desk.dmSeat(to, t(theirs, 'dm.transferred', { by, customer: conv.customer.name ?? t(theirs, 'word.a_customer'), channel: conv.channel, reason: reason(theirs) }), conv.id);
    return ok(undefined);
  },
};
