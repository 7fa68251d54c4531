import type { Result } from '../../core/result.js';
import type { HandlerContext } from '../context.js';
import { conversationOf, inConversation } from '../preconditions.js';
import type { Command } from './types.js';
import { t } from '../../i18n/format.js';

type Said = 'notice.claimed' | 'notice.released' | 'notice.closed' | 'notice.reopened';

/** Claim / release / close / reopen: the conversation of the thread (or header) they are used on. */
function conversationCommand(name: 'claim' | 'release' | 'close' | 'reopen', description: string, said: Said): Command {
  return {
    name,
    description,
    example: `/${name}`,
    usage: `${name} (in a conversation's thread, or the header's button)`,
    requires: inConversation('chat.claim', name),
    async run(ctx: HandlerContext, { args }): Promise<Result<unknown>> {
      const conv = conversationOf(ctx);
      const { desk, seat } = ctx;
      // `!claim force`: a supervisor takes it beyond their maximum.
      const force = name === 'claim' && args.words[0]?.toLowerCase() === 'force';
      const result = name === 'claim' ? await desk.claim(conv, seat, { force })
        : name === 'release' ? await desk.release(conv, seat)
        : name === 'close' ? await desk.close(conv, seat)
        : await desk.reopen(conv, seat);
      if (result.ok) await ctx.reply(t(ctx.threadLang, said, { who: seat?.name ?? ctx.actor.name ?? ctx.actor.userId }));
      return result;
    },
  };
}

export const claimCommand = conversationCommand('claim', 'Take the conversation of this thread', 'notice.claimed');
export const releaseCommand = conversationCommand('release', 'Give the conversation of this thread back to the queue', 'notice.released');
export const closeCommand = conversationCommand('close', 'Close the conversation of this thread', 'notice.closed');
export const reopenCommand = conversationCommand('reopen', 'Open the conversation of this thread again', 'notice.reopened');
