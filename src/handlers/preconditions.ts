import type { Conversation, Seat } from '../core/model.js';
import type { Permission } from '../core/permissions.js';
import type { CommandInput } from './commands/types.js';

/**
 * What a command requires before it runs (Sapphire's preconditions as data),
 * checked in one place by `checkPreconditions`, in this order, each with its
 * stable failure code:
 *
 * 1. `conversation`: used in a conversation's thread or on its header
 *    (`not_in_thread`, or `unknown_conversation` in a thread that is none);
 * 2. `seat`: the actor is a seat (`not_a_seat`);
 * 3. `enabled`: that seat is enabled (`seat_disabled`);
 * 4. `permission`: its roles grant every named permission (`permission_denied`,
 *    worded with `action`);
 * 5. `department`: …in that department (`outside_department`).
 *
 * Without `seat` and `enabled`, a stranger or a disabled seat is refused by the
 * permission itself (`permission_denied`), because `can` grants them nothing.
 */
export interface Preconditions {
  readonly conversation?: true;
  readonly seat?: true;
  readonly enabled?: true;
  readonly permission?: Permission | readonly Permission[];
  /** What was refused, in the words of "Your roles do not allow you to <action> here." */
  readonly action?: string;
  /** Where the permission must hold: the conversation's department, a queue argument's, or anywhere (absent). */
  readonly department?: 'conversation' | QueueArgument;
}

/**
 * A queue named in the arguments (`/export … sales`): the permission must hold
 * in its department. A queue that does not exist is `unknown_queue`.
 */
export interface QueueArgument {
  readonly queueIn: (input: CommandInput) => string | undefined;
}

/** The usual requirement of a thread command: an enabled seat allowed `permission` in the conversation's department. */
export function inConversation(permission: Permission, action: string): Preconditions {
  return { conversation: true, seat: true, enabled: true, permission, action, department: 'conversation' };
}

/** The actor's seat, for a command that declared `seat`; a fault (a bug) if it ran without one. */
export function seatOf(ctx: { readonly seat: Seat | undefined }): Seat {
  if (!ctx.seat) throw new Error('a command that requires a seat ran without one: declare `seat` in its preconditions');
  return ctx.seat;
}

/** The conversation, for a command that declared `conversation`; a fault (a bug) if it ran without one. */
export function conversationOf(ctx: { readonly conversation: Conversation | undefined }): Conversation {
  if (!ctx.conversation) throw new Error('a command that requires a conversation ran without one: declare `conversation` in its preconditions');
  return ctx.conversation;
}
