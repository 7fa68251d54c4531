import type { Update } from 'grammy/types';
import { z } from 'zod';

/**
 * The shapes of the Telegram updates the desk handles (`message`,
 * `edited_message`, `callback_query`), checked before grammY and the
 * listeners read them, so a signed update with `"chat": null` or entities
 * that are not a list is refused instead of throwing inside a handler. Only
 * fields the desk reads are typed (Bot API "Message", "User", "Chat",
 * "MessageEntity", "CallbackQuery"); everything else passes. Optional
 * fields may also be null: some senders and relays write absent fields as
 * null (seen in real payloads); the update handed on has them removed.
 */

const int = z.number().int();
const text = z.string().max(100_000);
const user = z.looseObject({ id: int, is_bot: z.boolean(), first_name: z.string(), last_name: z.string().nullish(), username: z.string().nullish() });
const chat = z.looseObject({ id: int, type: z.string(), title: z.string().nullish(), first_name: z.string().nullish(), last_name: z.string().nullish(), username: z.string().nullish(), is_forum: z.boolean().nullish() });
const entity = z.looseObject({ type: z.string(), offset: int.nonnegative(), length: int.nonnegative(), user: user.nullish() });
const file = z.looseObject({ file_id: z.string(), file_name: z.string().nullish(), mime_type: z.string().nullish(), file_size: int.nonnegative().nullish() });
const location = z.looseObject({ latitude: z.number(), longitude: z.number() });

/** The fields of a message the desk reads, each typed when present. */
const messageFields = {
  message_id: int,
  date: int,
  chat,
  from: user.nullish(),
  sender_chat: chat.nullish(),
  message_thread_id: int.nullish(),
  is_topic_message: z.boolean().nullish(),
  text: text.nullish(),
  caption: text.nullish(),
  entities: z.array(entity).max(1000).nullish(),
  caption_entities: z.array(entity).max(1000).nullish(),
  photo: z.array(file).max(100).nullish(),
  document: file.nullish(),
  video: file.nullish(),
  audio: file.nullish(),
  voice: file.nullish(),
  animation: file.nullish(),
  video_note: file.nullish(),
  sticker: file.nullish(),
  location: location.nullish(),
  venue: z.looseObject({ location, title: z.string(), address: z.string() }).nullish(),
  contact: z.looseObject({ phone_number: z.string(), first_name: z.string(), last_name: z.string().nullish(), user_id: int.nullish() }).nullish(),
  edit_date: int.nullish(),
};
const message = z.looseObject({
  ...messageFields,
  // One level of quoting is read (the topic's service message, a replied-to message).
  reply_to_message: z.looseObject(messageFields).nullish(),
});
const callbackQuery = z.looseObject({
  id: z.string(),
  from: user,
  data: z.string().nullish(),
  message: z.looseObject({ message_id: int, chat, date: int, message_thread_id: int.nullish(), is_topic_message: z.boolean().nullish() }).nullish(),
});

const HANDLED = { message, edited_message: message, callback_query: callbackQuery } as const;

export type UpdateCheck =
  /** `update` is the update with null-valued fields removed: the handlers read an absent field, never a null one. */
  | { kind: 'handle'; update: Update }
  | { kind: 'ignore' }
  | { kind: 'malformed'; problems: string[] };

/**
 * Sorts an update (its `update_id` already checked) into handle / ignore
 * (no kind the desk listens to) / malformed (a handled kind of the wrong shape).
 */
export function checkTelegramUpdate(update: Record<string, unknown>): UpdateCheck {
  const kinds = Object.keys(HANDLED).filter((k) => update[k] !== undefined) as (keyof typeof HANDLED)[];
  if (!kinds.length) return { kind: 'ignore' };
  const problems = kinds.flatMap((k) => {
    const r = HANDLED[k].safeParse(update[k]);
    return r.success ? [] : r.error.issues.slice(0, 10).map((i) => `${[k, ...i.path.map(String)].join('.')}: ${i.message}`);
  });
  if (problems.length) return { kind: 'malformed', problems };
  // The kinds the desk reads are checked above; every other field passes as Telegram sent it.
  return { kind: 'handle', update: withoutNulls(update) as Update };
}

/** A copy without null-valued object fields (the body is at most 32 levels deep, checked before parsing). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}
