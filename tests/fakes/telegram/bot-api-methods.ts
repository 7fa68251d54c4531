import { randomBytes } from 'node:crypto';
import { ApiError, type FakeChat, type FakeFile, type FakeState, type FakeTopic, type FakeUser, type StoredMessage } from './fake-state.js';
import type { UploadedPart } from './parse-request.js';
import type { SendLimiter } from './rate-limits.js';
import type { UpdateFeed } from './updates.js';
import { getChat, getChatMember, type BotStanding } from './chat-methods.js';

/** What every method sees. */
export interface MethodContext {
  state: FakeState;
  bot: FakeUser;
  group: FakeChat;
  users: Map<number, FakeUser>;
  /** The bot's rights in the group (getChatMember). */
  botStanding: BotStanding;
  limiter: SendLimiter;
  feed: UpdateFeed;
}

export interface CallInput {
  params: Record<string, unknown>;
  files: UploadedPart[];
  /** Registers what to do when the client goes away (a held getUpdates). */
  onClose: (cb: () => void) => void;
}

type Method = (ctx: MethodContext, input: CallInput) => unknown;

/** Emoji bots may react with (Bot API ReactionTypeEmoji). */
const REACTIONS = new Set(['👍', '👎', '❤', '🔥', '🥰', '👏', '😁', '🤔', '🤯', '😱', '🤬', '😢', '🎉', '🤩', '🤮', '💩', '🙏', '👌', '🕊', '🤡', '🥱', '🥴', '😍', '🐳', '❤‍🔥', '🌚', '🌭', '💯', '🤣', '⚡', '🍌', '🏆', '💔', '🤨', '😐', '🍓', '🍾', '💋', '🖕', '😈', '😴', '😭', '🤓', '👻', '👨‍💻', '👀', '🎃', '🙈', '😇', '😨', '🤝', '✍', '🤗', '🫡', '🎅', '🎄', '☃', '💅', '🤪', '🗿', '🆒', '💘', '🙉', '🦄', '😘', '💊', '🙊', '😎', '👾', '🤷‍♂', '🤷', '🤷‍♀', '😡']);

const now = () => Math.floor(Date.now() / 1000);
/** What getFile lets a bot download: 20 MB. */
const DOWNLOAD_LIMIT = 20 * 1024 * 1024;

/** The Bot API methods the fake implements. */
const BY_NAME: Record<string, Method> = {
  getMe: (ctx) => ({ ...ctx.bot, can_join_groups: true, can_read_all_group_messages: true, supports_inline_queries: false, can_connect_to_business: false, has_main_web_app: false }),

  getUpdates: (ctx, i) => ctx.feed.getUpdates(i.params, i.onClose),
  setWebhook: (ctx, i) => ctx.feed.setWebhook(i.params),
  deleteWebhook: (ctx, i) => ctx.feed.deleteWebhook(i.params),
  getWebhookInfo: (ctx) => ctx.feed.webhookInfo(),
  getChat: (ctx, i) => getChat(ctx, i.params),
  getChatMember: (ctx, i) => getChatMember(ctx, i.params),

  sendMessage(ctx, { params }) {
    const chat = targetChat(ctx, params.chat_id);
    const text = checkText(params.text, 4096, 'message text is empty', 'message is too long');
    const markup = checkMarkup(params.reply_markup);
    const thread = topicOf(ctx, chat, params.message_thread_id);
    admit(ctx, chat);
    return toApiMessage(ctx, store(ctx, chat, thread, { text, ...(params.entities ? { entities: params.entities as unknown[] } : {}), ...(markup ? { reply_markup: markup } : {}) }));
  },

  getFile(ctx, { params }) {
    const file = knownFile(ctx.state, String(params.file_id ?? ''));
    if (!file) throw new ApiError(400, 'Bad Request: invalid file_id');
    // Bots download files of up to 20 MB (Bot API getFile).
    if (file.file_size > DOWNLOAD_LIMIT) throw new ApiError(400, 'Bad Request: file is too big');
    file.file_path ??= filePathOf(file, ctx.state.messages.some((m) => m.photo?.file_id === file.file_id) ? 'photos' : 'documents');
    return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size, file_path: file.file_path };
  },

  sendDocument: (ctx, i) => sendFile(ctx, i, 'document'),
  sendPhoto: (ctx, i) => sendFile(ctx, i, 'photo'),

  editMessageText(ctx, { params }) {
    const chat = chatById(ctx, params.chat_id);
    const message = liveMessage(ctx, chat.id, params.message_id, 'message to edit not found');
    if (message.from.id !== ctx.bot.id) throw new ApiError(400, "Bad Request: message can't be edited");
    const text = checkText(params.text, 4096, 'message text is empty', 'message is too long');
    const markup = checkMarkup(params.reply_markup);
    if (message.text === text && JSON.stringify(message.reply_markup ?? null) === JSON.stringify(markup ?? null)) {
      throw new ApiError(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
    }
    message.text = text;
    if (markup) message.reply_markup = markup; else delete message.reply_markup;
    message.edit_date = now();
    return toApiMessage(ctx, message);
  },

  /**
   * Bot API `deleteMessage`: the bot's own messages anywhere, any message in a
   * private chat ("Bots can delete outgoing messages in private chats, groups,
   * and supergroups"; incoming ones in private chats); answers `true`.
   */
  deleteMessage(ctx, { params }) {
    const chat = chatById(ctx, params.chat_id);
    const message = liveMessage(ctx, chat.id, params.message_id, 'message to delete not found');
    if (chat.type !== 'private' && message.from.id !== ctx.bot.id) throw new ApiError(400, "Bad Request: message can't be deleted");
    message.deleted = true;
    return true;
  },

  createForumTopic(ctx, { params }) {
    const chat = chatById(ctx, params.chat_id);
    if (chat.type !== 'supergroup' || !chat.is_forum) throw new ApiError(400, 'Bad Request: the chat is not a forum');
    const name = String(params.name ?? '');
    if (!name) throw new ApiError(400, 'Bad Request: TOPIC_NAME_EMPTY');
    if (name.length > 128) throw new ApiError(400, 'Bad Request: TOPIC_NAME_INVALID');
    admit(ctx, chat);
    const icon_color = Number(params.icon_color ?? 7322096);
    // The topic's id is the id of its service message (`forum_topic_created`).
    const service = store(ctx, chat, undefined, { service: 'forum_topic_created' });
    service.message_thread_id = service.message_id;
    const topic: FakeTopic = { chat_id: chat.id, message_thread_id: service.message_id, name, icon_color, deleted: false, closed: false };
    ctx.state.topics.push(topic);
    return { message_thread_id: topic.message_thread_id, name, icon_color };
  },

  deleteForumTopic(ctx, { params }) {
    const chat = chatById(ctx, params.chat_id);
    deleteTopic(ctx.state, chat.id, Number(params.message_thread_id));
    return true;
  },

  answerCallbackQuery(ctx, { params }) {
    const query = ctx.state.callbackQueries.find((q) => q.id === String(params.callback_query_id));
    if (!query || query.answer) throw new ApiError(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
    const text = params.text === undefined ? undefined : String(params.text);
    if (text !== undefined && text.length > 200) throw new ApiError(400, 'Bad Request: MESSAGE_TOO_LONG');
    query.answer = { ...(text !== undefined ? { text } : {}), ...(params.show_alert ? { show_alert: Boolean(params.show_alert) } : {}) };
    return true;
  },

  setMyCommands(ctx, { params }) {
    const commands = params.commands;
    if (!Array.isArray(commands) || commands.length > 100) throw new ApiError(400, 'Bad Request: commands must be an array of at most 100 BotCommand');
    for (const c of commands as { command?: unknown; description?: unknown }[]) {
      if (typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) throw new ApiError(400, 'Bad Request: BOT_COMMAND_INVALID');
      if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256) throw new ApiError(400, 'Bad Request: BOT_COMMAND_DESCRIPTION_INVALID');
    }
    ctx.state.commands.push({ commands: commands as { command: string; description: string }[], ...(params.scope ? { scope: params.scope } : {}), ...(params.language_code ? { language_code: String(params.language_code) } : {}) });
    return true;
  },

  // Per language_code: the list set for that language, else the default one (set without language_code).
  getMyCommands: (ctx, { params }) => {
    const unscoped = ctx.state.commands.filter((c) => !c.scope);
    const lang = params.language_code ? String(params.language_code) : undefined;
    return (lang ? unscoped.filter((c) => c.language_code === lang).at(-1) : undefined)?.commands ?? unscoped.filter((c) => !c.language_code).at(-1)?.commands ?? [];
  },

  setMessageReaction(ctx, { params }) {
    const chat = chatById(ctx, params.chat_id);
    const message = liveMessage(ctx, chat.id, params.message_id, 'message to react not found');
    const reaction = (params.reaction ?? []) as { type?: string; emoji?: string }[];
    if (!Array.isArray(reaction) || reaction.some((r) => r.type !== 'emoji' || !REACTIONS.has(r.emoji ?? ''))) throw new ApiError(400, 'Bad Request: REACTION_INVALID');
    message.reactions = [...message.reactions.filter((r) => r.user !== ctx.bot.id), ...reaction.map((r) => ({ emoji: r.emoji!, user: ctx.bot.id }))];
    return true;
  },
};

/** The methods by lower-case name (Telegram's method names are case-insensitive). */
export const METHODS: Readonly<Record<string, Method>> = Object.fromEntries(Object.entries(BY_NAME).map(([name, method]) => [name.toLowerCase(), method]));

/** Deletes a topic and every message in it (what a person deleting a topic does). */
export function deleteTopic(state: FakeState, chatId: number, threadId: number): void {
  const topic = state.topics.find((t) => t.chat_id === chatId && t.message_thread_id === threadId && !t.deleted);
  if (!topic) throw new ApiError(400, 'Bad Request: message thread not found');
  topic.deleted = true;
  for (const m of state.messages) if (m.chat_id === chatId && (m.message_thread_id === threadId || m.message_id === threadId)) m.deleted = true;
}

/** A message as the Bot API returns it (and as updates carry it). */
export function toApiMessage(ctx: MethodContext, m: StoredMessage): Record<string, unknown> {
  const chat = m.chat_id === ctx.group.id ? ctx.group : privateChat(ctx, m.chat_id);
  const topic = m.message_thread_id !== undefined && chat.is_forum;
  return {
    message_id: m.message_id,
    ...(topic ? { message_thread_id: m.message_thread_id, is_topic_message: true } : {}),
    from: m.from,
    chat,
    date: m.date,
    ...(m.edit_date ? { edit_date: m.edit_date } : {}),
    ...(m.text !== undefined ? { text: m.text } : {}),
    ...(m.entities ? { entities: m.entities } : {}),
    ...(m.caption !== undefined ? { caption: m.caption } : {}),
    ...(m.caption_entities ? { caption_entities: m.caption_entities } : {}),
    ...(m.document ? { document: fileJson(m.document) } : {}),
    ...(m.photo ? { photo: [{ ...fileJson(m.photo), width: 1280, height: 960 }] } : {}),
    ...(m.service === 'forum_topic_created' ? { forum_topic_created: { name: ctx.state.topics.find((t) => t.message_thread_id === m.message_id)?.name ?? '', icon_color: 7322096 } } : {}),
    ...(m.reply_markup ? { reply_markup: m.reply_markup } : {}),
  };
}

/** Stores a new message in `chat` (by the bot unless `from` is given). */
export function store(ctx: MethodContext, chat: FakeChat, thread: number | undefined, content: Partial<StoredMessage>, from: FakeUser = ctx.bot): StoredMessage {
  const id = (ctx.state.nextMessageId.get(chat.id) ?? 1) + 0;
  ctx.state.nextMessageId.set(chat.id, id + 1);
  const message: StoredMessage = { chat_id: chat.id, message_id: id, ...(thread !== undefined ? { message_thread_id: thread } : {}), from, date: now(), reactions: [], ...content };
  ctx.state.messages.push(message);
  return message;
}

export function privateChat(ctx: MethodContext, userId: number): FakeChat {
  const user = ctx.users.get(userId);
  return { id: userId, type: 'private', first_name: user?.first_name ?? 'User', ...(user?.username ? { username: user.username } : {}) };
}

export function newFile(ctx: MethodContext, o: { name?: string; mime?: string; bytes?: Buffer; size?: number }): FakeFile {
  ctx.state.nextFileId += 1;
  const n = ctx.state.nextFileId;
  return {
    file_id: `BQACAgIAAxkBAAI${String(n).padStart(6, '0')}${randomBytes(6).toString('hex')}`,
    file_unique_id: `AgAD${String(n).padStart(6, '0')}`,
    ...(o.name ? { file_name: o.name } : {}),
    ...(o.mime ? { mime_type: o.mime } : {}),
    file_size: o.bytes?.length ?? o.size ?? 0,
    ...(o.bytes ? { bytes: o.bytes } : {}),
  };
}

function sendFile(ctx: MethodContext, { params, files }: CallInput, kind: 'document' | 'photo'): unknown {
  const chat = targetChat(ctx, params.chat_id);
  const caption = params.caption === undefined ? undefined : String(params.caption);
  if (caption !== undefined && caption.length > 1024) throw new ApiError(400, 'Bad Request: message caption is too long');
  const thread = topicOf(ctx, chat, params.message_thread_id);
  const value = params[kind];
  let file: FakeFile;
  const upload = typeof value === 'string' && value.startsWith('attach://')
    ? files.find((f) => f.field === value.slice('attach://'.length))
    : files.find((f) => f.field === kind);
  if (upload) {
    file = newFile(ctx, { name: upload.filename, bytes: upload.data, mime: 'application/octet-stream' });
  } else if (typeof value === 'string' && value) {
    const known = knownFile(ctx.state, value);
    if (!known) throw new ApiError(400, 'Bad Request: wrong file identifier/HTTP URL specified');
    file = known;
  } else {
    throw new ApiError(400, `Bad Request: there is no ${kind} in the request`);
  }
  admit(ctx, chat);
  return toApiMessage(ctx, store(ctx, chat, thread, { [kind]: file, ...(caption !== undefined ? { caption } : {}) }));
}

/** A file of any message, by its `file_id`. */
export function knownFile(state: FakeState, fileId: string): FakeFile | undefined {
  for (const m of state.messages) {
    if (m.document?.file_id === fileId) return m.document;
    if (m.photo?.file_id === fileId) return m.photo;
  }
  return undefined;
}

/** A file as messages carry it: no bytes, and no `file_path` (only getFile gives that). */
function fileJson(f: FakeFile): Record<string, unknown> {
  const { bytes: _bytes, file_path: _path, ...rest } = f;
  return rest;
}

/** Where Telegram keeps a file: `documents/file_12.csv`, `photos/file_13.jpg`. */
function filePathOf(f: FakeFile, folder: 'documents' | 'photos'): string {
  const n = Number(f.file_unique_id.slice('AgAD'.length));
  const ext = folder === 'photos' ? 'jpg' : /\.([A-Za-z0-9]{1,8})$/.exec(f.file_name ?? '')?.[1];
  return `${folder}/file_${n}${ext ? `.${ext}` : ''}`;
}

/** A chat the bot may send to: the group, or a private chat with a user who started the bot. */
function targetChat(ctx: MethodContext, chatId: unknown): FakeChat {
  const chat = chatById(ctx, chatId);
  if (chat.type === 'private') {
    if (ctx.state.blocked.has(chat.id)) throw new ApiError(403, 'Forbidden: bot was blocked by the user');
    if (!ctx.state.started.has(chat.id)) throw new ApiError(403, "Forbidden: bot can't initiate conversation with a user");
  }
  return chat;
}

function chatById(ctx: MethodContext, chatId: unknown): FakeChat {
  const id = Number(chatId);
  if (!Number.isInteger(id)) throw new ApiError(400, 'Bad Request: chat not found');
  if (id === ctx.group.id) return ctx.group;
  if (ctx.users.has(id) && id !== ctx.bot.id) return privateChat(ctx, id);
  throw new ApiError(400, 'Bad Request: chat not found');
}

function topicOf(ctx: MethodContext, chat: FakeChat, threadId: unknown): number | undefined {
  if (threadId === undefined || threadId === null || !chat.is_forum) return undefined;
  const id = Number(threadId);
  const topic = ctx.state.topics.find((t) => t.chat_id === chat.id && t.message_thread_id === id);
  if (!topic || topic.deleted) throw new ApiError(400, 'Bad Request: message thread not found');
  if (topic.closed) throw new ApiError(400, 'Bad Request: TOPIC_CLOSED');
  return id;
}

function liveMessage(ctx: MethodContext, chatId: number, messageId: unknown, notFound: string): StoredMessage {
  const m = ctx.state.messages.find((x) => x.chat_id === chatId && x.message_id === Number(messageId) && !x.deleted);
  if (!m || m.service) throw new ApiError(400, `Bad Request: ${notFound}`);
  return m;
}

function checkText(value: unknown, max: number, empty: string, tooLong: string): string {
  const text = value === undefined || value === null ? '' : String(value);
  if (!text.trim()) throw new ApiError(400, `Bad Request: ${empty}`);
  if (text.length > max) throw new ApiError(400, `Bad Request: ${tooLong}`);
  return text;
}

function checkMarkup(value: unknown): StoredMessage['reply_markup'] | undefined {
  if (value === undefined || value === null) return undefined;
  const keyboard = (value as { inline_keyboard?: unknown }).inline_keyboard;
  if (!Array.isArray(keyboard)) throw new ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object");
  for (const row of keyboard) {
    if (!Array.isArray(row)) throw new ApiError(400, "Bad Request: can't parse inline keyboard button: InlineKeyboardButton must be an Object");
    for (const b of row as { text?: unknown; callback_data?: unknown; url?: unknown }[]) {
      if (typeof b.text !== 'string' || !b.text) throw new ApiError(400, 'Bad Request: BUTTON_TEXT_INVALID');
      if (b.callback_data !== undefined) {
        const bytes = Buffer.byteLength(String(b.callback_data));
        if (bytes < 1 || bytes > 64) throw new ApiError(400, 'Bad Request: BUTTON_DATA_INVALID');
      } else if (b.url === undefined) {
        throw new ApiError(400, 'Bad Request: text buttons are unallowed in the inline keyboard');
      }
    }
  }
  return value as StoredMessage['reply_markup'];
}

function admit(ctx: MethodContext, chat: FakeChat): void {
  const retryAfter = ctx.limiter.admit(chat.id, chat.type === 'supergroup');
  if (retryAfter > 0) {
    ctx.state.rateLimitedCount += 1;
    throw new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
  }
}
