/**
 * Expected failures are values, not exceptions (STYLE §4): every one carries a
 * stable code, and `src/handlers/describe-failure.ts` turns codes into words in
 * one place.
 */
export type FailureCode =
  | 'not_a_seat'
  | 'seat_disabled'
  | 'permission_denied'
  | 'not_in_thread'
  | 'unknown_conversation'
  | 'already_claimed'
  | 'already_yours'
  | 'not_claimed'
  | 'not_claimer'
  | 'conversation_closed'
  | 'conversation_open'
  | 'window_closed'
  | 'channel_error'
  | 'unknown_command'
  | 'slash_in_thread_unsupported'
  | 'bad_arguments'
  | 'unknown_seat'
  | 'seat_exists'
  | 'unknown_role'
  | 'unknown_queue'
  | 'outside_department'
  | 'last_admin'
  | 'seat_not_disabled'
  | 'receiver_unavailable'
  | 'too_many_mentions'
  | 'import_invalid'
  /** A language tag the desk does not speak (`/lang fr`). */
  | 'unknown_language'
  /** An agent's file is of a type the customer's channel does not take; detail: file, mime, channel, accepted. */
  | 'file_type_unsupported'
  /** An agent's file is over the customer's channel's limit for its kind; detail: file, channel, kind, size, limit (MB). */
  | 'file_too_large'
  /** An agent's file could not be fetched from the messenger when its reply went out; detail: file, reason. */
  | 'file_fetch_failed'
  /** The seat already holds its maximum of chats (`max`); detail: max, held. */
  | 'seat_full'
  /** The channel allows a few replies per customer message (WeChat: 5 within 48 h) and they are used; detail: channel, allowance, windowHours, since. */
  | 'reply_allowance_used'
  /** The customer's session is held outside the desk (WeChat: a servicer or the pool in the WeCom client); detail: channel. */
  | 'session_with_servicer'
  /** The customer's session ended on the channel's side; detail: channel. */
  | 'session_ended'
  /** The conversation's channel has no message templates, or lists none yet; detail: channel. */
  | 'templates_unavailable'
  /** No approved template of that name; detail: name, templates (the list, see templates/template-list.ts). */
  | 'unknown_template'
  /** The template exists in several languages and none was named, or not in the one named; detail: name, language?, languages. */
  | 'template_language'
  /** The values given do not fit the template's body; detail: name, language, expected, given. */
  | 'template_parameters'
  /** The customer opted out (STOP / 退订, or the channel said so): no template until they write again. */
  | 'customer_opted_out'
  /** An agent edited or deleted a reply on a channel that cannot change a sent message; detail: channel, change ('edit' | 'delete'). */
  | 'reply_change_unsupported'
  /** The channel takes a sent message back only for a while after sending (WeChat: recall within 2 minutes), and that time is past, or the change was an edit; detail: channel, change, minutes. */
  | 'reply_recall_window';

export interface Failure {
  readonly code: FailureCode;
  /** Facts the words need (who holds the claim, when the window closed…). */
  readonly detail?: Readonly<Record<string, string | number | undefined>>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; failure: Failure };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(code: FailureCode, detail?: Failure['detail']): Result<T> => ({
  ok: false,
  failure: detail ? { code, detail } : { code },
});
