import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deleteTopic, METHODS, toApiMessage, type MethodContext } from './bot-api-methods.js';
import {
  ApiError, createState,
  type CallbackQueryRecord, type DeliveredUpdate, type FailureSpec, type FakeChat, type FakeTopic, type FakeUser, type FileDownload, type RecordedCall, type StoredMessage,
} from './fake-state.js';
import { parseRequest, readBody } from './parse-request.js';
import { FULL_RIGHTS, type BotStanding } from './chat-methods.js';
import { createSendLimiter, DEFAULT_RATES, type TelegramRates } from './rate-limits.js';
import { UpdateFeed, type TelegramUpdate, type WebhookSettings } from './updates.js';
import { callbackQuery, privateChatOf, userMessage, type UserMessageOptions } from './user-updates.js';
import { waitFor, type Falsy } from '../slack/wait-for.js';

export interface TelegramFakeOptions {
  /** Default 7700000001 (the bot's id is the token's first part). */
  botId?: number;
  botUsername?: string;
  /** The agents' forum supergroup. Default -1001234567890. */
  groupId?: number;
  /** People who exist (agents, customers). Default: alex (1001), sam (1002), casey (2001). */
  users?: Omit<FakeUser, 'is_bot'>[];
  /** The group is a forum (Topics on). Default true; false: a plain supergroup, where createForumTopic fails. */
  groupIsForum?: boolean;
  /** The bot's standing in the group (getChatMember). Default: administrator with every right threaddesk uses. */
  botStanding?: BotStanding;
  /** Enforced send budgets; false = unlimited. Default: 1/s per chat, 20/min per group, 30/s overall. */
  rates?: Partial<TelegramRates> | false;
  /** Polling: how long a delivery waits for the bot to confirm it before resolving with status 0. Default 15 s. */
  confirmTimeoutMs?: number;
}

/** A document a person sends (a CSV for `/seat import`). */
export interface UserDocument {
  fileName: string;
  /** Default: `text/csv` for a `.csv` name, else `application/octet-stream`. */
  mimeType?: string;
  /** What getFile and the download serve. */
  bytes?: Buffer;
  /** The size when no bytes are given (e.g. 25 MB, over the download limit, without allocating it). */
  size?: number;
}

/** Where a document is sent: a topic of the group, its General topic, or the private chat with the bot. */
export type DocumentPlace = { threadId: number } | 'general' | 'private';

/** What a user action returns: the update delivered and how the bot took it. */
export interface Delivery {
  updateId: number;
  /** Webhook: the bot's HTTP status. Polling: 200 once the bot confirmed the update, 0 if it never did. */
  status: number;
}

/** A running fake of the Telegram Bot API. */
export interface TelegramFake {
  /** The API root for grammY's `client.apiRoot` (no trailing slash). */
  readonly url: string;
  readonly token: string;
  readonly bot: FakeUser;
  readonly groupId: number;
  readonly calls: readonly RecordedCall[];
  /** Every message of every chat, oldest first; deleted ones stay with `deleted: true`. */
  readonly messages: readonly StoredMessage[];
  readonly topics: readonly FakeTopic[];
  readonly callbackQueries: readonly CallbackQueryRecord[];
  /** Every setMyCommands call's list, in order. */
  readonly commands: readonly { commands: { command: string; description: string }[] }[];
  readonly deliveries: readonly DeliveredUpdate[];
  /** Every `GET /file/bot<token>/<file_path>`, in order. */
  readonly downloads: readonly FileDownload[];
  readonly webhook: WebhookSettings | undefined;
  /** 429 answers served. */
  readonly rateLimitedCount: number;
  /** 409 answers to getUpdates. */
  readonly conflictCount: number;
  callsTo(method: string): RecordedCall[];
  user(id: number): FakeUser;
  message(chatId: number, messageId: number): StoredMessage | undefined;
  /** Messages in a topic of the group, oldest first, without its service message (`includeDeleted` to see a deleted topic's). */
  topicMessages(threadId: number, o?: { includeDeleted?: boolean }): StoredMessage[];
  /** Messages the bot sent into its private chat with `userId`. */
  privateMessagesTo(userId: number): StoredMessage[];
  /** The person presses Start: a `/start` message in the private chat, after which the bot may write to them. */
  userStartsBot(userId: number): Promise<Delivery>;
  userBlocksBot(userId: number): void;
  /** Someone deletes a forum topic (and with it every message in it). */
  deleteTopic(threadId: number): void;
  closeTopic(threadId: number): void;
  /** A person writes in a topic of the group. */
  userWritesInTopic(userId: number, threadId: number, text: string, o?: Omit<UserMessageOptions, 'threadId'> & { updateId?: number }): Promise<Delivery & { messageId: number }>;
  /** A person edits a text message of theirs (in a topic or a private chat): the bot gets `edited_message`. */
  userEditsMessage(userId: number, chatId: number, messageId: number, text: string): Promise<Delivery>;
  /** A person writes in the group outside any topic (General). */
  userWritesInGroup(userId: number, text: string): Promise<Delivery & { messageId: number }>;
  /** A person writes to the bot in their private chat (a customer, or an agent's command). */
  userWritesPrivately(userId: number, text: string, o?: Omit<UserMessageOptions, 'threadId'>): Promise<Delivery & { messageId: number }>;
  /**
   * A person sends a document with a caption (its `caption_entities` as
   * Telegram's clients make them, e.g. `bot_command` for a leading
   * `/seat`, unless given). Sending privately starts the chat.
   */
  userSendsDocument(userId: number, where: DocumentPlace, document: UserDocument, caption?: string, o?: { captionEntities?: Record<string, unknown>[]; updateId?: number }): Promise<Delivery & { messageId: number; fileId: string }>;
  /** A person presses an inline button of a bot message (its `callback_data` unless `data` is given). */
  userPressesButton(userId: number, messageId: number, text: string, o?: { data?: string; chatId?: number }): Promise<Delivery & { queryId: string }>;
  /** Hands any update to the bot (webhook when set, else to getUpdates); `update_id` is assigned when missing. */
  deliver(update: Record<string, unknown>): Promise<Delivery>;
  /** Delivers an update again, the same `update_id` (a webhook retry, a poller that never confirmed it). */
  redeliver(updateId: number): Promise<Delivery>;
  /** Makes the next `count` (default 1) calls of `method` fail with this error. */
  failNext(method: string, failure: FailureSpec): void;
  /** Resolves with the first truthy `predicate(fake)`; rejects after `timeoutMs` (default 2000) with the recent calls. */
  waitFor<R>(predicate: (fake: TelegramFake) => R, timeoutMs?: number): Promise<Exclude<R, Falsy>>;
  close(): Promise<void>;
}

const DEFAULT_USERS: Omit<FakeUser, 'is_bot'>[] = [
  { id: 1001, first_name: 'Alex', username: 'alex_agent', language_code: 'en' },
  { id: 1002, first_name: 'Sam', username: 'sam_agent', language_code: 'en' },
  { id: 2001, first_name: 'Casey', last_name: 'Customer', username: 'casey_customer', language_code: 'en' },
];

/**
 * Starts a fake Telegram Bot API on 127.0.0.1: `POST /bot<token>/<method>`
 * with JSON, form or multipart bodies, answering `{ok:true, result}` or
 * `{ok:false, error_code, description, parameters}` with the error code as
 * HTTP status, as api.telegram.org does. One forum supergroup, private chats
 * with the known users, long polling and webhook delivery, and the documented
 * send limits enforced with 429 + `parameters.retry_after`.
 */
export async function startTelegramFake(options: TelegramFakeOptions = {}): Promise<TelegramFake> {
  const botId = options.botId ?? 7700000001;
  const token = `${botId}:AAHfakeTokenForTests_0123456789abcdef`;
  const bot: FakeUser = { id: botId, is_bot: true, first_name: 'Threaddesk', username: options.botUsername ?? 'threaddesk_bot' };
  const group: FakeChat = { id: options.groupId ?? -1001234567890, type: 'supergroup', title: 'Support desk', is_forum: options.groupIsForum ?? true };
  const users = new Map<number, FakeUser>((options.users ?? DEFAULT_USERS).map((u) => [u.id, { ...u, is_bot: false }]));
  users.set(bot.id, bot);
  const state = createState();
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const changed = () => events.emit('change');
  const feed = new UpdateFeed(state, changed, options.confirmTimeoutMs ?? 15_000);
  const ctx: MethodContext = {
    state, bot, group, users, feed,
    botStanding: options.botStanding ?? { status: 'administrator', rights: FULL_RIGHTS },
    limiter: createSendLimiter(options.rates === false ? false : { ...DEFAULT_RATES, ...options.rates }),
  };

  const answer = (res: ServerResponse, call: RecordedCall, body: Record<string, unknown>) => {
    call.status = body.ok ? 200 : Number(body.error_code);
    call.ok = Boolean(body.ok);
    if (!body.ok) { call.error_code = Number(body.error_code); call.description = String(body.description); }
    if (!res.writableEnded && !res.destroyed) res.writeHead(call.status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    changed();
  };

  /** `GET /file/bot<token>/<file_path>`: the bytes of a file getFile prepared; 404 for a wrong token or path. */
  const download = (res: ServerResponse, tokenGiven: string, path: string): void => {
    const file = tokenGiven === token ? state.messages.flatMap((m) => [m.document, m.photo]).find((f) => f?.file_path === path) : undefined;
    const bytes = file ? (file.bytes ?? Buffer.alloc(file.file_size)) : undefined;
    state.downloads.push({ file_path: path, status: bytes ? 200 : 404, size: bytes?.length ?? 0, time: Date.now() });
    if (bytes) res.writeHead(200, { 'content-type': file?.mime_type ?? 'application/octet-stream', 'content-length': String(bytes.length) }).end(bytes);
    else res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }));
    changed();
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const file = req.method === 'GET' ? /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname) : null;
    if (file) { await readBody(req); return download(res, file[1]!, decodeURIComponent(file[2]!)); }
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    const call: RecordedCall = { method: m?.[2] ?? url.pathname, params: {}, files: [], status: 0, ok: false, time: Date.now() };
    const raw = await readBody(req);
    if (!m) { res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found'); return; }
    state.calls.push(call);
    if (m[1] !== token) return answer(res, call, { ok: false, error_code: 401, description: 'Unauthorized' });
    try {
      const parsed = parseRequest(req.headers['content-type'], raw, url.searchParams);
      call.params = parsed.params;
      call.files = parsed.files.map((f) => ({ field: f.field, filename: f.filename, size: f.data.length }));
      const method = METHODS[m[2]!.toLowerCase()];
      if (!method) return answer(res, call, { ok: false, error_code: 404, description: 'Not Found' });
      const scripted = state.failures.get(m[2]!.toLowerCase());
      if (scripted) {
        scripted.count -= 1;
        if (scripted.count <= 0) state.failures.delete(m[2]!.toLowerCase());
        if (scripted.error_code === 429) state.rateLimitedCount += 1;
        throw new ApiError(scripted.error_code, scripted.description, scripted.parameters);
      }
      const result = await method(ctx, { params: parsed.params, files: parsed.files, onClose: (cb) => res.on('close', cb) });
      return answer(res, call, { ok: true, result });
    } catch (err) {
      if (err instanceof ApiError) return answer(res, call, { ok: false, error_code: err.error_code, description: err.description, ...(err.parameters ? { parameters: err.parameters } : {}) });
      if (err instanceof SyntaxError) return answer(res, call, { ok: false, error_code: 400, description: "Bad Request: can't parse JSON object" });
      throw err;
    }
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error_code: 500, description: `Internal Server Error: ${error instanceof Error ? error.message : String(error)}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const userOf = (id: number): FakeUser => {
    const u = users.get(id);
    if (!u) throw new Error(`telegram fake: no user ${id}; pass it in options.users`);
    return u;
  };
  const deliver = async (update: Record<string, unknown>): Promise<Delivery> => {
    const withId = { ...update, update_id: typeof update.update_id === 'number' ? update.update_id : feed.newUpdateId() } as TelegramUpdate;
    return { updateId: withId.update_id, status: await feed.deliver(withId) };
  };
  const describe = (): string => {
    const recent = state.calls.slice(-10).map((c) => `  ${c.method} → ${c.status} ${c.description ?? ''}`);
    return [`Fake Telegram has ${state.messages.length} message(s), ${state.calls.length} call(s); last calls:`, ...(recent.length ? recent : ['  (none)'])].join('\n');
  };

  const fake: TelegramFake = {
    url: origin, token, bot, groupId: group.id,
    get calls() { return state.calls; },
    get messages() { return state.messages; },
    get topics() { return state.topics; },
    get callbackQueries() { return state.callbackQueries; },
    get commands() { return state.commands; },
    get deliveries() { return state.deliveries; },
    get downloads() { return state.downloads; },
    get webhook() { return feed.webhook; },
    get rateLimitedCount() { return state.rateLimitedCount; },
    get conflictCount() { return state.conflictCount; },
    callsTo: (method) => state.calls.filter((c) => c.method.toLowerCase() === method.toLowerCase()),
    user: userOf,
    message: (chatId, messageId) => state.messages.find((m) => m.chat_id === chatId && m.message_id === messageId),
    topicMessages: (threadId, o = {}) => state.messages.filter((m) => m.chat_id === group.id && m.message_thread_id === threadId && !m.service && (o.includeDeleted || !m.deleted)),
    privateMessagesTo: (userId) => state.messages.filter((m) => m.chat_id === userId && m.from.id === bot.id),
    async userStartsBot(userId) {
      state.started.add(userId);
      state.blocked.delete(userId);
      const message = userMessage(ctx, userOf(userId), privateChatOf(ctx, userId), '/start');
      return deliver({ message });
    },
    userBlocksBot(userId) { state.blocked.add(userId); },
    deleteTopic(threadId) { deleteTopic(state, group.id, threadId); changed(); },
    closeTopic(threadId) {
      const topic = state.topics.find((t) => t.message_thread_id === threadId && !t.deleted);
      if (!topic) throw new Error(`telegram fake: no open topic ${threadId}`);
      topic.closed = true;
    },
    async userWritesInTopic(userId, threadId, text, o = {}) {
      if (!state.topics.some((t) => t.message_thread_id === threadId && !t.deleted)) throw new Error(`telegram fake: no topic ${threadId} to write in`);
      const message = userMessage(ctx, userOf(userId), group, text, { ...o, threadId });
      return { ...(await deliver({ message, ...(o.updateId ? { update_id: o.updateId } : {}) })), messageId: Number(message.message_id) };
    },
    async userEditsMessage(userId, chatId, messageId, text) {
      const m = state.messages.find((x) => x.chat_id === chatId && x.message_id === messageId && !x.deleted);
      if (!m || m.from.id !== userId) throw new Error(`telegram fake: user ${userId} has no message ${messageId} in chat ${chatId} to edit`);
      m.text = text;
      m.edit_date = Math.floor(Date.now() / 1000);
      const edited = toApiMessage(ctx, m);
      if (m.message_thread_id !== undefined && chatId === group.id) {
        const service = state.messages.find((x) => x.chat_id === chatId && x.message_id === m.message_thread_id);
        if (service) edited.reply_to_message = toApiMessage(ctx, service);
      }
      return deliver({ edited_message: edited });
    },
    async userWritesInGroup(userId, text) {
      const message = userMessage(ctx, userOf(userId), group, text);
      return { ...(await deliver({ message })), messageId: Number(message.message_id) };
    },
    async userWritesPrivately(userId, text, o = {}) {
      // Writing to the bot starts the chat as pressing Start does.
      state.started.add(userId);
      const message = userMessage(ctx, userOf(userId), privateChatOf(ctx, userId), text, o);
      return { ...(await deliver({ message })), messageId: Number(message.message_id) };
    },
    async userSendsDocument(userId, where, document, caption = '', o = {}) {
      const chat = where === 'private' ? privateChatOf(ctx, userId) : group;
      const threadId = typeof where === 'object' ? where.threadId : undefined;
      if (threadId !== undefined && !state.topics.some((t) => t.message_thread_id === threadId && !t.deleted)) throw new Error(`telegram fake: no topic ${threadId} to send a document in`);
      if (where === 'private') state.started.add(userId);
      const mimeType = document.mimeType ?? (/\.csv$/i.test(document.fileName) ? 'text/csv' : 'application/octet-stream');
      const message = userMessage(ctx, userOf(userId), chat, caption, {
        ...(threadId !== undefined ? { threadId } : {}),
        ...(o.captionEntities ? { entities: o.captionEntities } : {}),
        media: { kind: 'document', fileName: document.fileName, mimeType, ...(document.bytes ? { bytes: document.bytes } : {}), ...(document.size !== undefined ? { size: document.size } : {}) },
      });
      const delivery = await deliver({ message, ...(o.updateId ? { update_id: o.updateId } : {}) });
      return { ...delivery, messageId: Number(message.message_id), fileId: String((message.document as { file_id: string }).file_id) };
    },
    async userPressesButton(userId, messageId, text, o = {}) {
      const chatId = o.chatId ?? group.id;
      const target = state.messages.find((m) => m.chat_id === chatId && m.message_id === messageId);
      const data = o.data ?? target?.reply_markup?.inline_keyboard?.flat().find((b) => b.text === text)?.callback_data;
      if (!data) throw new Error(`telegram fake: message ${messageId} has no button "${text}"`);
      const query = callbackQuery(ctx, userOf(userId), chatId, messageId, data);
      return { ...(await deliver({ callback_query: query })), queryId: String(query.id) };
    },
    deliver,
    async redeliver(updateId) {
      const previous = state.deliveries.find((d) => d.update_id === updateId);
      if (!previous) throw new Error(`telegram fake: update ${updateId} was never delivered`);
      return { updateId, status: await feed.deliver(previous.update as TelegramUpdate) };
    },
    failNext(method, failure) { state.failures.set(method.toLowerCase(), { ...failure, count: failure.count ?? 1 }); },
    waitFor: (predicate, timeoutMs = 2000) => waitFor(fake, events, predicate, timeoutMs, describe),
    async close() {
      feed.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
