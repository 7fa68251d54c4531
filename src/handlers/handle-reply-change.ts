import type { HandlerContext } from './context.js';
import { describeFailure } from './describe-failure.js';

/**
 * A person edited or deleted their message in a conversation's thread. When
 * it went to the customer as a reply, the change follows it where the
 * channel allows (SPEC §13); where it does not, the thread is told that the
 * customer still sees the original. Any other message (a note, a command,
 * an internal hint) changes nothing and is not answered.
 */
export async function handleReplyChange(ctx: HandlerContext, messageId: string, text: string | undefined): Promise<void> {
  const conv = ctx.conversation;
  if (!conv) return;
  const changed = await ctx.desk.extras.changeReply(conv, ctx.seat, messageId, text);
  if (!changed.ok) await ctx.reply(describeFailure(changed.failure, { lang: ctx.threadLang }));
}
