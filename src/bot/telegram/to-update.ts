import type { CallbackQuery, Message, MessageEntity, User } from 'grammy/types';
import type { Update } from '../../handlers/context.js';
import type { Actor } from '../../core/model.js';
import { classifyThreadMessage, type ThreadMessageRules } from '../../core/thread-message.js';
import { TELEGRAM_DOWNLOAD_LIMIT, type TelegramFileRef } from './download-file.js';
import { plainMime, type AgentFile } from '../../core/files/agent-file.js';
import { parseCallbackData, parseCommandButton } from './render.js';

/**
 * Telegram's "GroupAnonymousBot": every anonymous group admin writes as this
 * one user id, so nobody can be told apart behind it and it must never count
 * as an agent (anchors.md B5).
 */
export const ANONYMOUS_ADMIN_ID = 1087968824;

/** Who the bot is (from getMe). */
export interface BotIdentity { id: number; username: string }

/** What a message in the agents' supergroup means to the desk. */
export type GroupMessage = Extract<Update, { kind: 'thread_message' | 'command' }>;

/**
 * A message in one of the agents' supergroups as a neutral update; undefined
 * for everything the desk ignores: bots (this one included), anonymous admins
 * and messages sent on behalf of a chat, service messages (topic created,
 * members joined…), commands addressed to another bot, and plain messages
 * outside a forum topic (the General topic is no conversation).
 */
export function groupMessageToUpdate(message: Message, me: BotIdentity): GroupMessage | undefined {
  const from = message.from;
  if (!from || from.is_bot || from.id === ANONYMOUS_ADMIN_ID || message.sender_chat) return undefined;
  const chat = String(message.chat.id);
  // `message_thread_id` alone also marks reply threads in the General topic; only `is_topic_message` means a forum topic.
  const thread = message.is_topic_message && message.message_thread_id !== undefined ? String(message.message_thread_id) : undefined;
  const actor = actorOf(from);
  const files = filesOf(message);
  // With media, the caption is the text (a photo's words) and its entities are caption_entities.
  const text = message.text ?? (files.length ? message.caption ?? '' : undefined);
  if (text === undefined || text === null) return undefined;
  const entities = (message.text != null ? message.entities : message.caption_entities) ?? [];
  const command = parseCommand(text, entities, me);
  if (command === 'other_bot') return undefined;
  if (command) {
    return { kind: 'command', actor, location: { workspace: chat, channel: chat, ...(thread ? { thread } : {}) }, name: command.name, args: command.args, mentions: mentionsOf(text, entities, me) };
  }
  if (!thread) return undefined;
  return {
    kind: 'thread_message',
    actor,
    location: { workspace: chat, channel: chat, thread },
    messageId: String(message.message_id),
    // Addressing the bot (`@threaddesk_bot …`) is neither a colleague's mention nor text for the customer.
    text: text.replace(new RegExp(`(^|\\s)@${me.username}\\b\\s*`, 'gi'), '$1').trim(),
    mentions: mentionsOf(text, entities, me),
    ...(files.length ? { files } : {}),
  };
}

/**
 * A person's edit of their text message in a topic (`edited_message`) as a
 * `reply_changed` update: the desk carries it to the customer when that
 * message went out as a reply. Telegram tells bots of no deletes.
 */
export function groupEditToUpdate(edited: Message, me: BotIdentity): Extract<Update, { kind: 'reply_changed' }> | undefined {
  const update = groupMessageToUpdate(edited, me);
  if (update?.kind !== 'thread_message' || !update.text) return undefined;
  return { kind: 'reply_changed', actor: update.actor, location: update.location, messageId: update.messageId, text: update.text };
}

/**
 * Files an agent attached to a topic message, by `file_id` (the bot fetches
 * it with getFile when the reply goes out). A photo comes in several sizes:
 * the largest is sent, and Telegram stores photos as JPEG.
 */
function filesOf(message: Message): AgentFile[] {
  if (message.photo?.length) {
    const largest = message.photo[message.photo.length - 1]!;
    return [{ name: 'photo.jpg', mime: 'image/jpeg', ...(largest.file_size !== undefined ? { size: largest.file_size } : {}), fetchLimit: TELEGRAM_DOWNLOAD_LIMIT, platform: 'telegram', ref: largest.file_id }];
  }
  const file: { file_id: string; file_name?: string; mime_type?: string; file_size?: number } | undefined =
    message.document ?? message.video ?? message.audio ?? message.voice ?? message.animation ?? message.video_note ?? message.sticker;
  if (!file) return [];
  const name = file.file_name ?? (message.sticker ? 'sticker.webp' : message.voice ? 'voice.ogg' : message.video_note ? 'video.mp4' : 'file');
  const mime = file.mime_type ?? (message.sticker ? 'image/webp' : message.video_note ? 'video/mp4' : undefined);
  return [{ name, mime: plainMime(mime), ...(file.file_size !== undefined ? { size: file.file_size } : {}), fetchLimit: TELEGRAM_DOWNLOAD_LIMIT, platform: 'telegram', ref: file.file_id }];
}

/** A `/command` in a private chat with the bot (a seat's command, or a customer's `/start`). */
export function privateCommandOf(message: Message, me: BotIdentity): Extract<Update, { kind: 'command' }> | undefined {
  const from = message.from;
  if (!from || from.is_bot || message.text === undefined) return undefined;
  const command = parseCommand(message.text, message.entities ?? [], me);
  if (!command || command === 'other_bot') return undefined;
  const chat = String(message.chat.id);
  return { kind: 'command', actor: actorOf(from), location: { workspace: chat, channel: chat }, name: command.name, args: command.args, mentions: mentionsOf(message.text, message.entities ?? [], me) };
}

/**
 * A document sent with a command as its caption (`/seat import` or
 * `!seat import` with a CSV attached), in a group or a private chat: the
 * command, carrying the document as its one file. Telegram marks a caption's
 * `/command` in `caption_entities` as it marks a text's in `entities`.
 * 'other_bot' for `/command@someone_else`; undefined when the message is no
 * such document (or comes from a bot, an anonymous admin or a chat).
 */
export function documentCommandOf(
  message: Message,
  me: BotIdentity,
  rules: ThreadMessageRules,
  download: (file: TelegramFileRef) => Promise<Buffer>,
): Extract<Update, { kind: 'command' }> | 'other_bot' | undefined {
  const { from, document, caption } = message;
  if (!from || from.is_bot || from.id === ANONYMOUS_ADMIN_ID || message.sender_chat || !document || !caption) return undefined;
  const entities = message.caption_entities ?? [];
  const slash = parseCommand(caption, entities, me);
  if (slash === 'other_bot') return slash;
  const bang = slash ? undefined : classifyThreadMessage(caption, [], rules);
  const command = slash ?? (bang?.kind === 'command' ? bang : undefined);
  if (!command) return undefined;
  const chat = String(message.chat.id);
  const thread = message.is_topic_message && message.message_thread_id !== undefined ? String(message.message_thread_id) : undefined;
  return {
    kind: 'command',
    actor: actorOf(from),
    location: { workspace: chat, channel: chat, ...(thread ? { thread } : {}) },
    name: command.name,
    args: command.args,
    mentions: mentionsOf(caption, entities, me),
    files: [{ name: document.file_name ?? 'document', read: () => download(document) }],
  };
}

/** A header button pressed in one of the agents' supergroups. */
export function callbackToUpdate(query: CallbackQuery): Extract<Update, { kind: 'action' }> | undefined {
  const parsed = query.data ? parseCallbackData(query.data) : undefined;
  if (!parsed || !query.message) return undefined;
  const chat = String(query.message.chat.id);
  const m = query.message as Message;
  const thread = m.is_topic_message && m.message_thread_id !== undefined ? String(m.message_thread_id) : undefined;
  // The template picker's buttons add what was picked after the conversation (`<conversation> <name> <language>`).
  const [convId, ...args] = parsed.convId.split(' ');
  return { kind: 'action', actor: actorOf(query.from), location: { workspace: chat, channel: chat, ...(thread ? { thread } : {}) }, name: parsed.action, convId: convId!, ...(args.length ? { args: args.join(' ') } : {}) };
}

/** A command button pressed in a DM (an alert's Acknowledge): the command, for whoever pressed it. */
export function commandButtonToUpdate(query: CallbackQuery): Extract<Update, { kind: 'command' }> | undefined {
  const command = query.data ? parseCommandButton(query.data) : undefined;
  if (!command || !query.message) return undefined;
  const chat = String(query.message.chat.id);
  return { kind: 'command', actor: actorOf(query.from), location: { workspace: chat, channel: chat }, name: command.name, args: command.args };
}

/** A Telegram user as the desk's actor: `@username` as the name when there is one, else their name. */
export function actorOf(user: User): Actor {
  const name = user.username ? `@${user.username}` : [user.first_name, user.last_name].filter(Boolean).join(' ');
  // `language_code` (IETF tag of the user's client): the language of answers to someone with no seat.
  return { platform: 'telegram', userId: String(user.id), ...(name ? { name } : {}), ...(typeof user.language_code === 'string' && user.language_code ? { locale: user.language_code } : {}) };
}

/** `/claim`, `/claim@this_bot args`; 'other_bot' for `/claim@someone_else`. */
function parseCommand(text: string, entities: readonly MessageEntity[], me: BotIdentity): { name: string; args: string } | 'other_bot' | undefined {
  const first = entities[0];
  if (!first || first.type !== 'bot_command' || first.offset !== 0) return undefined;
  const m = /^\/([A-Za-z0-9_]+)(?:@([A-Za-z0-9_]+))?$/.exec(text.slice(0, first.length));
  if (!m) return undefined;
  if (m[2] && m[2].toLowerCase() !== me.username.toLowerCase()) return 'other_bot';
  return { name: m[1]!.toLowerCase(), args: text.slice(first.length).trim() };
}

/**
 * Mentioned people, in order: text mentions (users without a username) by
 * id, `@username` mentions as `@username` (the adapter turns handles it has
 * seen into ids: the Bot API cannot look a user up by name); never the bot.
 */
function mentionsOf(text: string, entities: readonly MessageEntity[], me: BotIdentity): string[] {
  const out: string[] = [];
  for (const e of entities) {
    if (e.type === 'mention') {
      const handle = text.slice(e.offset + 1, e.offset + e.length);
      if (handle.toLowerCase() !== me.username.toLowerCase()) out.push(`@${handle}`);
    } else if (e.type === 'text_mention' && e.user.id !== me.id) {
      out.push(String(e.user.id));
    }
  }
  return out;
}
