import { randomBytes } from 'node:crypto';
import { newFile, privateChat, store, toApiMessage, type MethodContext } from './bot-api-methods.js';
import type { FakeChat, FakeUser } from './fake-state.js';

/** Entities Telegram's clients would attach to `text`: a leading /command and @mentions. */
export function entitiesOf(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
  if (command) out.push({ type: 'bot_command', offset: 0, length: command[0].length });
  for (const m of text.matchAll(/(^|[^\w@])(@[A-Za-z0-9_]{5,32})/g)) {
    out.push({ type: 'mention', offset: m.index! + m[1]!.length, length: m[2]!.length });
  }
  return out;
}

export interface UserMessageOptions {
  /** A forum topic of the group (absent: General, or a private chat). */
  threadId?: number;
  /** Entities instead of the ones computed from the text (e.g. a text_mention); with media, the caption's. */
  entities?: Record<string, unknown>[];
  /** A photo or document instead of (or with, as caption) the text. */
  media?: {
    kind: 'photo' | 'document';
    fileName?: string;
    mimeType?: string;
    /** What getFile and the download serve (default: 2,048 zero bytes). */
    bytes?: Buffer;
    /** The file's size when no bytes are given (a file too big to download need not exist). */
    size?: number;
  };
}

/**
 * A person's message as Telegram stores it and hands it to the bot: it gets
 * a message id in the chat (so the bot can react to it), and in a topic it
 * carries `message_thread_id`, `is_topic_message` and, as Telegram adds to
 * topic messages, `reply_to_message` = the topic's service message. With
 * media, the text is the caption and its entities are `caption_entities`.
 */
export function userMessage(ctx: MethodContext, from: FakeUser, chat: FakeChat, text: string, o: UserMessageOptions = {}): Record<string, unknown> {
  const entities = o.entities ?? entitiesOf(text);
  const m = o.media;
  const media = m ? newFile(ctx, { size: m.size ?? 2048, ...(m.bytes ? { bytes: m.bytes } : {}), ...(m.fileName ? { name: m.fileName } : {}), ...(m.mimeType ? { mime: m.mimeType } : {}) }) : undefined;
  const content = media
    ? { [m!.kind]: media, ...(text ? { caption: text, ...(entities.length ? { caption_entities: entities } : {}) } : {}) }
    : { text, ...(entities.length ? { entities } : {}) };
  const stored = store(ctx, chat, o.threadId, content, from);
  const message = toApiMessage(ctx, stored);
  if (o.threadId !== undefined && chat.is_forum) {
    const service = ctx.state.messages.find((m) => m.chat_id === chat.id && m.message_id === o.threadId);
    if (service) message.reply_to_message = toApiMessage(ctx, service);
  }
  return message;
}

export function privateChatOf(ctx: MethodContext, userId: number): FakeChat {
  return privateChat(ctx, userId);
}

/** A button press on a message the bot sent (`callback_query`), recorded so the bot's answer can be checked. */
export function callbackQuery(ctx: MethodContext, from: FakeUser, chatId: number, messageId: number, data: string): Record<string, unknown> {
  const message = ctx.state.messages.find((m) => m.chat_id === chatId && m.message_id === messageId && !m.deleted);
  if (!message) throw new Error(`callbackQuery: there is no message ${messageId} in chat ${chatId}`);
  const id = BigInt(`0x${randomBytes(7).toString('hex')}`).toString();
  ctx.state.callbackQueries.push({ id, from, chat_id: chatId, message_id: messageId, data });
  return { id, from, message: toApiMessage(ctx, message), chat_instance: '-4567890123456789012', data };
}
