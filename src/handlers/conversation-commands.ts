import type { Conversation } from '../core/model.js';
import type { Result } from '../core/result.js';
import type { HandlerContext } from './context.js';
import { describeFailure } from './describe-failure.js';

/** Commands that act on the conversation of the thread they are used in (SPEC §6). */
export const CONVERSATION_COMMANDS = ['claim', 'release', 'close', 'reopen'] as const;
export type ConversationCommand = (typeof CONVERSATION_COMMANDS)[number];

export function isConversationCommand(name: string): name is ConversationCommand {
  return (CONVERSATION_COMMANDS as readonly string[]).includes(name);
}

/**
 * Runs claim / release / close / reopen, from a `!command` in the thread, a
 * slash command or a header button alike. Success is said in the thread (the
 * team sees who took what); failure only to the actor.
 */
export async function runConversationCommand(ctx: HandlerContext, name: ConversationCommand): Promise<Result<unknown>> {
  const conv = ctx.conversation;
  if (!conv) {
    const failure = ctx.location.thread ? { code: 'unknown_conversation' as const } : { code: 'not_in_thread' as const, detail: { command: name } };
    await ctx.replyPrivately(describeFailure(failure));
    return { ok: false, failure };
  }
  const result = await perform(ctx, conv, name);
  if (!result.ok) {
    await ctx.replyPrivately(describeFailure(result.failure));
    return result;
  }
  const who = ctx.seat?.name ?? ctx.actor.name ?? ctx.actor.userId;
  const said: Record<ConversationCommand, string> = {
    claim: `🙋 ${who} claimed this conversation. Their replies in this thread go to the customer.`,
    release: `↩️ ${who} released this conversation. The next agent to reply or type \`!claim\` takes it.`,
    close: `✅ ${who} closed this conversation. A new customer message opens a new one; \`!reopen\` opens this one again.`,
    reopen: `🔄 ${who} reopened this conversation.`,
  };
  await ctx.reply(said[name]);
  return result;
}

function perform(ctx: HandlerContext, conv: Conversation, name: ConversationCommand): Promise<Result<unknown>> {
  const { desk, seat } = ctx;
  switch (name) {
    case 'claim': return desk.claim(conv, seat);
    case 'release': return desk.release(conv, seat);
    case 'close': return desk.close(conv, seat);
    case 'reopen': return desk.reopen(conv, seat);
  }
}
