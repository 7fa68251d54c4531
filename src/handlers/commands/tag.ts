import { fail, ok } from '../../core/result.js';
import { tagWords } from '../../core/tag.js';
import { conversationOf, inConversation } from '../preconditions.js';
import type { Command } from './types.js';
import { t } from '../../i18n/format.js';

/** `!tag vip #urgent` / `!untag …`: a plain word tags the customer, `#word` the conversation (SPEC §7). */
function tagCommand(name: 'tag' | 'untag', description: string): Command {
  return {
    name,
    usage: `${name} word… (a plain word: the customer, #word: this conversation)`,
    description,
    options: [{ name: 'tags', description: 'vip for the customer, #urgent for this conversation', type: 'string', required: true, maxLength: 200 }],
    example: `/${name} tags:vip #urgent`,
    requires: inConversation('chat.reply', name),
    async run(ctx, { args }) {
      const conv = conversationOf(ctx);
      const words = tagWords(args.words);
      if (!words.customer.length && !words.conversation.length) return fail('bad_arguments', { usage: 'usage.tag', example: `!${name} vip #urgent` });
      const result = await ctx.desk.tag(conv, ctx.seat, words, name === 'tag' ? 'add' : 'remove');
      if (!result.ok) return result;
      const shown = [...words.customer, ...words.conversation.map((w) => `#${w}`)].join(' ');
      await ctx.reply(t(ctx.threadLang, name === 'tag' ? 'notice.tagged' : 'notice.untagged', { who: ctx.seat?.name ?? ctx.actor.userId, tags: shown }));
      return ok(undefined);
    },
  };
}

export const tagCommandSpec = tagCommand('tag', 'Tag the customer (vip) or this conversation (#urgent)');
export const untagCommand = tagCommand('untag', 'Remove a tag from the customer or this conversation');
