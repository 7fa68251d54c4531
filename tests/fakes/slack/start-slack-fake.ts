import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  clearState,
  createState,
  type EphemeralMessage,
  type FailureSpec,
  type FakeUser,
  type FileRecord,
  type OpenedView,
  type ReactionRecord,
  type RecordedCall,
  type StoredMessage,
  addMessage,
  messageAt,
  removeMessage,
  repliesAt,
} from './fake-state.js';
import { receiveUpload } from './file-methods.js';
import { handleWebApi } from './handle-web-api.js';
import type { FakeConfig, MethodContext } from './method-context.js';
import { parseRequestBody, readBody } from './parse-request-body.js';
import { createRateLimiter, DEFAULT_POST_RATE, type BucketRate, type TierBudget } from './rate-limits.js';
import { ResponseUrls, type ResponseUrlPost } from './response-urls.js';
import { createSocketModeServer, type PushOptions, type SocketAck } from './socket-mode-server.js';
import { waitFor, type Falsy } from './wait-for.js';

/** Options for {@link startSlackFake}; every field has a default. */
export interface SlackFakeOptions {
  /** Bot token accepted on normal methods. Default 'xoxb-test'. */
  botToken?: string;
  /** App-level token accepted on apps.connections.open. Default 'xapp-test'. */
  appToken?: string;
  teamId?: string;
  teamDomain?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  botName?: string;
  /** Channels that exist. Default ['C0SUPPORT']. */
  channels?: string[];
  /** Channels that exist but the bot was not invited to (`not_in_channel`). Default none. */
  outsideChannels?: string[];
  /** Workspace members. Default: U0CUSTOMER and U0AGENT. */
  users?: Record<string, FakeUser>;
  /** Per-channel chat.postMessage bucket. Default `{ burst: 3, perSecond: 1 }`; false = unlimited. */
  postRate?: BucketRate | false;
  /** Per-method tier budgets (Tier 3 = 50/min, Tier 4 = 100/min, …); false = unlimited. */
  tierRate?: Partial<TierBudget> | false;
  /** Text longer than this is `msg_too_long`. Default 40,000. */
  maxTextLength?: number;
  /** The bot token's scopes, sent in `x-oauth-scopes` on every answer to it. Default: {@link DEFAULT_BOT_SCOPES}. */
  scopes?: string[];
}

/** What a correctly installed threaddesk app's bot token holds, and users:read (written out here, not read from src). */
export const DEFAULT_BOT_SCOPES = ['chat:write', 'channels:history', 'groups:history', 'channels:read', 'groups:read', 'commands', 'files:read', 'files:write', 'reactions:write', 'im:write', 'users:read'];

/** A human's message seeded into a conversation with {@link SlackFake.addUserMessage}. */
export interface UserMessageInput {
  channel: string;
  user: string;
  text: string;
  thread_ts?: string;
  blocks?: unknown[];
}

/** A running fake Slack workspace. */
export interface SlackFake {
  /** Web API base URL, for `clientOptions.slackApiUrl`: 'http://127.0.0.1:<port>/api/'. */
  readonly url: string;
  /** 'http://127.0.0.1:<port>'. */
  readonly origin: string;
  readonly config: Readonly<FakeConfig>;
  readonly calls: readonly RecordedCall[];
  /** Messages in channels, DMs and threads, in posting order; chat.update edits them in place. */
  readonly messages: readonly StoredMessage[];
  /** Messages in D… (IM) conversations. */
  readonly dms: readonly StoredMessage[];
  readonly ephemerals: readonly EphemeralMessage[];
  readonly reactions: readonly ReactionRecord[];
  readonly files: readonly FileRecord[];
  /** HTTP 429 answers served (rate limits and scripted 429s). */
  readonly rateLimitedCount: number;
  /** Socket Mode connections accepted since start (each reconnect adds one). */
  readonly socketConnectionCount: number;
  /** Socket Mode connections open now. */
  readonly openSocketCount: number;
  readonly socketAcks: readonly SocketAck[];
  /** Calls of one method, in order. */
  callsTo(method: string): RecordedCall[];
  /** The message at channel + ts. */
  message(channel: string, ts: string): StoredMessage | undefined;
  /** Replies in the thread of `threadTs` (the parent excluded), oldest first. */
  threadReplies(channel: string, threadTs: string): StoredMessage[];
  /** Seeds a message written by a person (no `bot_id`), e.g. an agent's thread reply. */
  addUserMessage(input: UserMessageInput): StoredMessage;
  /** A member edits their message (text and `edited` change); send the bot `messageChanged(message, previousText)` (change-events.ts). */
  userEditsMessage(channel: string, ts: string, text: string): { message: StoredMessage; previousText: string };
  /** A member's message is deleted (gone from history); send the bot `messageDeleted(message)`. */
  userDeletesMessage(channel: string, ts: string): StoredMessage;
  /** Makes the next `count` (default 1) calls of `method` fail with `error` and/or HTTP `status`. */
  failNext(method: string, failure: FailureSpec): void;
  /**
   * The next `count` (default 1) calls of `method` take effect, but their
   * answer is lost (the connection is reset instead), as when the caller dies
   * or the network drops between Slack's answer and the caller's record.
   * Such a call is recorded with status 0.
   */
  loseAnswerNext(method: string, count?: number): void;
  /** Sends a Socket Mode envelope to the newest connection and resolves with the client's ack. */
  pushSocketEvent(payload: unknown, options: PushOptions): Promise<SocketAck>;
  /** Sends `{type:'disconnect', reason}` to open connections (default reason 'refresh_requested'). */
  disconnectSockets(reason?: string): void;
  /** Modals opened with views.open. */
  readonly views: readonly OpenedView[];
  /** A file a person shared: stored with its bytes; returns the `files[]` element Slack puts on the message event. */
  addUserFile(input: { filename: string; bytes: Buffer; user: string; mimetype?: string }): Record<string, unknown>;
  /** Resolves with the first truthy `predicate(fake)`; rejects after `timeoutMs` (default 2000) with recent calls. */
  waitFor<R>(predicate: (fake: SlackFake) => R, timeoutMs?: number): Promise<Exclude<R, Falsy>>;
  /**
   * A response_url to put on a slash command or interaction payload (`slashCommand({ response_url })`):
   * it takes 5 JSON posts within 30 minutes and answers `ok`, as Slack's does.
   */
  responseUrl(): string;
  /** Every POST to a response_url, oldest first, with the fake's answer. */
  readonly responsePosts: readonly ResponseUrlPost[];
  /** The texts accepted at one response_url, oldest first. */
  responseTexts(url: string): string[];
  /** Forgets calls, messages, reactions, files, rate-limit buckets and scripted failures and response_url posts. */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_USERS: Record<string, FakeUser> = {
  U0CUSTOMER: { name: 'casey', real_name: 'Casey Customer' },
  U0AGENT: { name: 'alex', real_name: 'Alex Agent' },
};

/** Starts a fake Slack (Web API + Socket Mode) on 127.0.0.1 with a random port. */
export async function startSlackFake(options: SlackFakeOptions = {}): Promise<SlackFake> {
  const config: FakeConfig = {
    botToken: options.botToken ?? 'xoxb-test',
    appToken: options.appToken ?? 'xapp-test',
    teamId: options.teamId ?? 'T0001',
    teamDomain: options.teamDomain ?? 'fake-workspace',
    botUserId: options.botUserId ?? 'U0BOT',
    botId: options.botId ?? 'B0BOT',
    appId: options.appId ?? 'A0APP',
    botName: options.botName ?? 'threaddesk',
    channels: new Set(options.channels ?? ['C0SUPPORT']),
    outsideChannels: new Set(options.outsideChannels ?? []),
    users: { ...(options.users ?? DEFAULT_USERS) },
    // Slack's documented cap on `text` (changelog 2018-04-truncating-really-long-messages).
    maxTextLength: options.maxTextLength ?? 40_000,
    scopes: options.scopes ?? DEFAULT_BOT_SCOPES,
  };
  const state = createState();
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const limiter = createRateLimiter(options.postRate ?? DEFAULT_POST_RATE, options.tierRate ?? {});
  const socket = createSocketModeServer(config.appId, () => events.emit('change'));
  const responseUrls = new ResponseUrls(() => events.emit('change'));
  let lastTsMicros = 0;
  let idCounter = 0;

  const ctx: MethodContext = {
    config,
    state,
    origin: '',
    nextTs() {
      // Message ts: the unix time of the post, '.', six digits; unique and increasing per workspace.
      lastTsMicros = Math.max(lastTsMicros + 100, Date.now() * 1000);
      return `${Math.floor(lastTsMicros / 1e6)}.${String(lastTsMicros % 1e6).padStart(6, '0')}`;
    },
    nextId(prefix) {
      idCounter += 1;
      return `${prefix}${String(idCounter).padStart(10, '0')}`;
    },
    openSocketUrl: () => socket.issueUrl(ctx.origin),
  };
  const deps = { ctx, limiter, events };

  const serveUpload = async (fileId: string, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const { parts } = parseRequestBody(req.headers['content-type'], raw);
    const body = receiveUpload(ctx, fileId, raw, parts);
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/plain' }).end(body ?? 'Not Found');
    events.emit('change');
  };
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const api = /^\/api\/([A-Za-z0-9_.]+)$/.exec(path);
    if (api) return handleWebApi(deps, api[1]!, req, res);
    if (ResponseUrls.matches(path)) return responseUrls.handle(ctx.origin, path, req, res);
    const upload = /^\/upload\/v1\/([A-Z0-9]+)$/.exec(path);
    if (upload && req.method === 'POST') return serveUpload(upload[1]!, req, res);
    // url_private downloads need the bot token (docs.slack.dev "Downloading files"); without it Slack serves a login page.
    const download = /^\/files-pri\/[A-Z0-9]+-([A-Z0-9]+)\/[^/]+$/.exec(path);
    if (download && req.method === 'GET') {
      const file = state.files.find((f) => f.id === download[1]);
      if (req.headers.authorization !== `Bearer ${config.botToken}`) return void res.writeHead(302, { location: `https://${config.teamDomain}.slack.com/?redir=login` }).end();
      if (!file?.bytes) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return void res.writeHead(200, { 'content-type': file.mimetype ?? 'application/octet-stream', 'content-length': file.bytes.length }).end(file.bytes);
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
  };
  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake slack error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  server.on('upgrade', (req, sock, head) => socket.handleUpgrade(req, sock, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  ctx.origin = `http://127.0.0.1:${port}`;

  const describe = (): string => {
    const recent = state.calls.slice(-10).map((c) => `  ${c.method} → ${c.status} ${c.ok ? 'ok' : (c.error ?? '')}`);
    return [
      `Fake Slack has ${state.messages.length} message(s), ${state.calls.length} call(s); last calls:`,
      ...(recent.length ? recent : ['  (none)']),
    ].join('\n');
  };

  const fake: SlackFake = {
    url: `${ctx.origin}/api/`,
    origin: ctx.origin,
    config,
    get calls() {
      return state.calls;
    },
    get messages() {
      return state.messages;
    },
    get dms() {
      return state.messages.filter((m) => m.channel.startsWith('D'));
    },
    get ephemerals() {
      return state.ephemerals;
    },
    get reactions() {
      return state.reactions;
    },
    get views() {
      return state.views;
    },
    addUserFile({ filename, bytes, user, mimetype }) {
      const id = ctx.nextId('F');
      state.files.push({ id, filename, length: bytes.length, bytes, completed: true, ...(mimetype ? { mimetype } : {}) });
      const url = `${ctx.origin}/files-pri/${config.teamId}-${id}/${encodeURIComponent(filename)}`;
      return { id, name: filename, title: filename, mimetype: mimetype ?? (filename.endsWith('.csv') ? 'text/csv' : 'application/octet-stream'), filetype: filename.split('.').pop(), user, size: bytes.length, url_private: url, url_private_download: url };
    },
    get files() {
      return state.files;
    },
    get rateLimitedCount() {
      return state.rateLimitedCount;
    },
    get socketConnectionCount() {
      return socket.connectionCount;
    },
    get openSocketCount() {
      return socket.openCount;
    },
    socketAcks: socket.acks,
    callsTo: (method) => state.calls.filter((c) => c.method === method),
    message: (channel, ts) => messageAt(state, channel, ts),
    threadReplies: (channel, threadTs) => [...repliesAt(state, channel, threadTs)],
    addUserMessage(input) {
      const known = config.channels.has(input.channel) || [...state.openConversations.values()].includes(input.channel);
      if (!known) throw new Error(`addUserMessage: channel ${input.channel} does not exist in the fake workspace.`);
      const msg: StoredMessage = { ...input, ts: ctx.nextTs(), team: config.teamId };
      addMessage(state, msg);
      events.emit('change');
      return msg;
    },
    userEditsMessage(channel, ts, text) {
      const message = messageAt(state, channel, ts);
      if (!message) throw new Error(`userEditsMessage: no message ${ts} in ${channel}`);
      const previousText = message.text;
      message.text = text;
      message.edited = { user: message.user, ts: ctx.nextTs() };
      events.emit('change');
      return { message, previousText };
    },
    userDeletesMessage(channel, ts) {
      const message = removeMessage(state, channel, ts);
      if (!message) throw new Error(`userDeletesMessage: no message ${ts} in ${channel}`);
      events.emit('change');
      return message;
    },
    responseUrl: () => responseUrls.issue(ctx.origin, config.teamId),
    get responsePosts() {
      return responseUrls.posts;
    },
    responseTexts: (url) => responseUrls.textsAt(url),
    failNext(method, failure) {
      state.failures.set(method, { ...failure, count: failure.count ?? 1 });
    },
    loseAnswerNext(method, count = 1) {
      state.lostAnswers.set(method, (state.lostAnswers.get(method) ?? 0) + count);
    },
    pushSocketEvent: (payload, pushOptions) => socket.push(payload, pushOptions),
    disconnectSockets: (reason = 'refresh_requested') => socket.disconnectAll(reason),
    waitFor: (predicate, timeoutMs = 2000) => waitFor(fake, events, predicate, timeoutMs, describe),
    reset() {
      clearState(state);
      limiter.reset();
      responseUrls.clear();
      socket.acks.length = 0;
    },
    async close() {
      await socket.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
