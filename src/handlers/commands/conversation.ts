import type { Result } from '../../core/result.js';
import type { HandlerContext } from '../context.js';
import { conversationOf, inConversation } from '../preconditions.js';
import type { Command } from './types.js';

/** Claim / release / close / reopen: the conversation of the thread (or header) they are used on. */
function conversationCommand(name: 'claim' | 'release' | 'close' | 'reopen', description: string, said: (who: string) => string): Command {
  return {
    name,
    description,
    example: `/${name}`,
    usage: `${name} (in a conversation's thread, or the header's button)`,
    requires: inConversation('chat.claim', name),
    async run(ctx: HandlerContext): Promise<Result<unknown>> {
      const conv = conversationOf(ctx);
      const { desk, seat } = ctx;
      const result = name === 'claim' ? await desk.claim(conv, seat)
        : name === 'release' ? await desk.release(conv, seat)
        : name === 'close' ? await desk.close(conv, seat)
        : await desk.reopen(conv, seat);
      if (result.ok) await ctx.reply(said(seat?.name ?? ctx.actor.name ?? ctx.actor.userId));
      return result;
    },
  };
}

export const claimCommand = conversationCommand('claim', 'Take the conversation of this thread', (who) => `🙋 ${who} claimed this conversation. Their replies in this thread go to the customer.`);
export const releaseCommand = conversationCommand('release', 'Give the conversation of this thread back to the queue', (who) => `↩️ ${who} released this conversation. The next agent to reply or type \`!claim\` takes it.`);
export const closeCommand = conversationCommand('close', 'Close the conversation of this thread', (who) => `✅ ${who} closed this conversation. A new customer message opens a new one; \`!reopen\` opens this one again.`);
export const reopenCommand = conversationCommand('reopen', 'Open the conversation of this thread again', (who) => `🔄 ${who} reopened this conversation.`);
