import type { Failure } from '../core/result.js';
import { en } from '../i18n/en.js';
import { say, t, type MessageKey } from '../i18n/format.js';
import { LANGUAGE_TAGS } from '../i18n/languages.js';
import { formatDuration, formatTime } from '../i18n/format-time.js';
import { describeReplyFailure, windowClosedExtra } from './describe-reply-failure.js';

/** How a failure is told: the command prefix it suggests, and the reader's language. */
export interface DescribeOptions { prefix?: string; lang?: string }

/**
 * The one place where expected failures become words (STYLE §4–5). Every text
 * says what happened and what to type or do instead, in the reader's language
 * (`lang`, default English). A string second argument is the command prefix.
 */
export function describeFailure(failure: Failure, options: string | DescribeOptions = {}): string {
  const { prefix: p = '!', lang } = typeof options === 'string' ? { prefix: options } : options;
  const d = failure.detail ?? {};
  const word = (key: MessageKey) => t(lang, key as 'word.none');
  const text = (v: string | number | undefined, fallback: MessageKey) => (v === undefined ? word(fallback) : String(v));
  switch (failure.code) {
    case 'not_a_seat':
    case 'seat_disabled':
    case 'unknown_conversation':
    case 'already_yours':
    case 'conversation_open':
    case 'last_admin':
      return t(lang, `failure.${failure.code}`);
    case 'permission_denied':
      return t(lang, 'failure.permission_denied', { action: d.action === undefined ? word('word.do_that') : phrase(lang, 'action', d.action, d) });
    case 'not_in_thread':
      return t(lang, 'failure.not_in_thread', { p, command: d.command ?? 'claim' });
    case 'already_claimed':
    case 'not_claimer':
      return t(lang, `failure.${failure.code}`, { p, holder: text(d.holder, 'word.someone_else') });
    case 'not_claimed':
    case 'conversation_closed':
      return t(lang, `failure.${failure.code}`, { p });
    case 'window_closed':
      return windowClosed(d, lang) + windowClosedExtra(d, p, lang);
    case 'reply_allowance_used':
      // Some replies are left, but fewer than this long reply's parts.
      if (typeof d.needed === 'number') {
        return t(lang, 'failure.reply_allowance_short', { channel: text(d.channel, 'word.this_channel'), needed: d.needed, left: Number(d.left), allowance: Number(d.allowance) });
      }
      return t(lang, 'failure.reply_allowance_used', {
        channel: text(d.channel, 'word.this_channel'),
        allowance: Number(d.allowance),
        window: formatDuration(lang, Number(d.windowHours) * 3_600_000),
        when: typeof d.since === 'number' ? t(lang, 'failure.reply_allowance_since', { time: formatTime(lang, d.since) }) : '',
      });
    case 'session_with_servicer':
    case 'session_ended':
      return t(lang, `failure.${failure.code}`, { channel: text(d.channel, 'word.this_channel') });
    case 'seat_full':
      return t(lang, 'failure.seat_full', { p, max: Number(d.max) });
    case 'channel_error':
      return t(lang, 'failure.channel_error', { channel: text(d.channel, 'word.the_customer_channel'), reason: text(d.reason, 'word.no_reason') });
    case 'unknown_command':
      return t(lang, 'failure.unknown_command', { p, command: String(d.command) });
    case 'bad_arguments':
      return t(lang, 'failure.bad_arguments', {
        usage: d.usage === undefined ? word('word.arguments_not_right') : isKey(d.usage) ? say(lang, { key: d.usage, vars: { ...d, accepted: LANGUAGE_TAGS.join(', ') } }) : String(d.usage),
        example: d.example ? t(lang, 'failure.bad_arguments_example', { example: String(d.example) }) : '',
      });
    case 'unknown_seat':
      return t(lang, 'failure.unknown_seat', { who: d.who === undefined ? word('word.that_person') : phrase(lang, 'who', d.who, d) });
    case 'seat_exists':
      return t(lang, 'failure.seat_exists', { seat: String(d.seat) });
    case 'unknown_role':
      return t(lang, 'failure.unknown_role', { role: String(d.role) });
    case 'unknown_queue':
      return t(lang, 'failure.unknown_queue', { queue: String(d.queue) });
    case 'outside_department':
      return t(lang, 'failure.outside_department', { department: String(d.department) });
    case 'seat_not_disabled':
      return t(lang, 'failure.seat_not_disabled', { seat: String(d.seat) });
    case 'receiver_unavailable':
      return t(lang, 'failure.receiver_unavailable', { seat: String(d.seat), why: whyUnavailable(lang, String(d.why)) });
    case 'too_many_mentions':
      return t(lang, 'failure.too_many_mentions', { count: Number(d.count) });
    case 'import_invalid':
      return t(lang, 'failure.import_invalid', { count: Number(d.count), rows: String(d.rows) });
    case 'file_type_unsupported':
      return t(lang, d.accepted ? 'failure.file_type_unsupported' : 'failure.file_type_none', { file: String(d.file), mime: String(d.mime), channel: String(d.channel), accepted: String(d.accepted), withText: d.withText ? 'yes' : 'no' });
    case 'file_too_large':
      // Over what the messenger lets the bot fetch (Telegram's 20 MB), whatever the customer's channel takes.
      if (d.source) return t(lang, 'failure.file_too_large_to_fetch', { file: String(d.file), size: String(d.size), limit: String(d.limit), source: String(d.source).replace(/^./, (c) => c.toUpperCase()), withText: d.withText ? 'yes' : 'no' });
      return t(lang, 'failure.file_too_large', { file: String(d.file), size: String(d.size), limit: String(d.limit), channel: String(d.channel), kind: String(d.kind), withText: d.withText ? 'yes' : 'no' });
    case 'file_fetch_failed':
      return t(lang, 'failure.file_fetch_failed', { file: String(d.file), reason: String(d.reason) });
    case 'slash_in_thread_unsupported':
      return t(lang, 'failure.slash_in_thread_unsupported', { command: String(d.command) });
    case 'unknown_language':
      return t(lang, 'failure.unknown_language', { lang: String(d.lang), accepted: LANGUAGE_TAGS.join(', ') });
    default:
      return describeReplyFailure(failure, p, lang) ?? failure.code;
  }
}

/** Whether a detail is a catalogue key (handlers give `usage` as one) rather than finished words. */
function isKey(v: string | number): v is MessageKey {
  return typeof v === 'string' && Object.hasOwn(en, v);
}

/**
 * A phrase core or a handler gave: a catalogue key (`action.give_role`, its
 * variables from the failure's detail), or English words (`action: 'manage
 * seats'`, `who: 'The person you named'`) that the catalogue has under
 * `<family>.<words_joined_by_underscores>`; other words are kept as given.
 */
function phrase(lang: string | undefined, family: 'action' | 'who', given: string | number, detail: NonNullable<Failure['detail']>): string {
  const key = isKey(given) ? given : `${family}.${String(given).toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '')}`;
  return isKey(key) ? say(lang, { key, vars: { ...detail } }) : String(given);
}

/** Why a colleague cannot take a transfer: core's reasons (claims/transfer.ts), in the reader's language. */
function whyUnavailable(lang: string | undefined, why: string): string {
  if (why === 'their seat is disabled') return t(lang, 'why.disabled');
  const full = /^they already hold (\d+) chats, their maximum$/.exec(why);
  if (full) return t(lang, 'why.full', { max: Number(full[1]) });
  const access = /^they have no access to the (.+) queue$/.exec(why);
  if (access) return t(lang, 'why.no_access', { queue: access[1]! });
  return why;
}

function windowClosed(d: NonNullable<Failure['detail']>, lang: string | undefined): string {
  const when = typeof d.closesAt === 'number' ? t(lang, 'failure.window_closed_at', { time: formatTime(lang, d.closesAt) }) : '';
  // The channel module declares the window; the failure carries its label and length.
  if (typeof d.windowHours === 'number') {
    return t(lang, 'failure.window_closed_hours', { channel: d.channel === undefined ? t(lang, 'word.this_channel') : String(d.channel), window: formatDuration(lang, d.windowHours * 3_600_000), when });
  }
  return t(lang, 'failure.window_closed', { when });
}
