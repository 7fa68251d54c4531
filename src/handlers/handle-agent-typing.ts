import type { HandlerContext } from './context.js';

/**
 * An agent is typing in a conversation's thread: the customer sees "Ana is
 * typing…" where their channel can show it (see core/typing-relay.ts). Only
 * for someone whose reply would reach the customer: the claimer, or any
 * enabled seat while nobody has claimed and the first replier claims.
 * Anyone else's words stay internal, so their typing is not shown either.
 */
export function handleAgentTyping(ctx: HandlerContext): boolean {
  const { seat, conversation: conv, desk } = ctx;
  if (!conv || !seat?.enabled) return false;
  const mayReply = conv.assignee ? conv.assignee === seat.id : desk.settings.firstReplierClaims;
  return mayReply && desk.typing.agentTyping(conv, seat.name);
}
