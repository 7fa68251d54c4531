import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { waitFor, type Falsy } from '../slack/wait-for.js';
import type { ConnectionRecord, FakeAttachment, FakeChannel, FakeInteraction, FakeMessage, FakeUser, IdentifyRecord, ReactionRecord, RecordedCall } from './fake-types.js';
import { GuildState } from './guild-state.js';
import { interactionBase, memberWithoutUser, messageCreate, newMessage, typingStart, userById } from './payloads.js';
import { DEFAULT_ROUTE_LIMITS, RateLimits, type RouteLimit, type ScriptedLimit } from './rate-limits.js';
import { errorReply, restRoutes, type Reply, type Request, type Route } from './rest-routes.js';
import { nextSnowflake } from './snowflake.js';

export interface DiscordFakeOptions {
  token?: string;
  applicationId?: string;
  guildId?: string;
  /** The guild's text channels (the first is the support channel). */
  channels?: string[];
  botUserId?: string;
  /** Guild members besides the bot, by user id. */
  users?: Record<string, FakeUser>;
  /** HELLO's heartbeat_interval (Discord sends 41,250 ms). */
  heartbeatIntervalMs?: number;
  /** Per-route buckets (defaults: DEFAULT_ROUTE_LIMITS); false = none. */
  routeLimits?: Record<string, RouteLimit> | false;
  /** Requests per second for the bot (default 50); false = unlimited. */
  globalPerSecond?: number | false;
  /** Whether the privileged MESSAGE_CONTENT intent is enabled for the app (default true). */
  messageContentAllowed?: boolean;
  /** How long after an abrupt drop a session can be resumed (default 60 s). */
  resumableMs?: number;
  /** Interaction response deadline (Discord: 3 s). */
  interactionDeadlineMs?: number;
}

/** Options of a slash command invocation ({@link DiscordFake.runCommand}). */
export interface CommandInput {
  userId: string;
  channelId: string;
  name: string;
  options?: { name: string; type: number; value?: string | number | boolean; options?: CommandInput['options'] }[];
  /** Default: built from USER options whose ids are members (unknown ids are left out, as for a user who left). */
  resolved?: Record<string, unknown>;
  guildId?: string;
  applicationId?: string;
}

/** A running fake of Discord's REST API and gateway. */
export interface DiscordFake {
  /** REST base for `DISCORD_API_URL` ('http://127.0.0.1:<port>/api'). */
  readonly url: string;
  readonly gatewayUrl: string;
  readonly config: Readonly<{ token: string; applicationId: string; guildId: string; channels: string[]; botUserId: string }>;
  readonly calls: readonly RecordedCall[];
  readonly messages: readonly FakeMessage[];
  readonly reactions: readonly ReactionRecord[];
  readonly interactions: readonly FakeInteraction[];
  /** The guild's application commands as last overwritten. */
  readonly commands: readonly Record<string, unknown>[];
  readonly identifies: readonly IdentifyRecord[];
  readonly connections: readonly ConnectionRecord[];
  /** Connections receiving dispatches now, and the most there ever were at once. */
  readonly liveConnections: number;
  readonly maxLiveConnections: number;
  /** 429 answers served; invalid requests (401/403/429 except shared-scope 429s). */
  readonly rateLimitedCount: number;
  readonly invalidRequestCount: number;
  channel(id: string): FakeChannel | undefined;
  message(id: string): FakeMessage | undefined;
  messagesIn(channelId: string): FakeMessage[];
  threadsIn(parentId: string): FakeChannel[];
  /** Messages the bot sent to a user by DM. */
  dmsTo(userId: string): FakeMessage[];
  /** Ephemeral interaction replies and follow-ups a user saw. */
  ephemeralsTo(userId: string): string[];
  callsTo(route: string): RecordedCall[];
  /** A member writes in a channel or thread: the message exists (unless `keep: false`), then MESSAGE_CREATE is dispatched. */
  userWrites(input: { channelId: string; userId: string; content: string; type?: number; webhookId?: string; guildId?: string; keep?: boolean; attachments?: FakeAttachment[] }): FakeMessage;
  /** A member edits their message: its content and `edited_timestamp` change, then MESSAGE_UPDATE (the full message) is dispatched. */
  userEdits(messageId: string, content: string): FakeMessage;
  /** Someone deletes a message (Discord names no deleter): it is gone, then MESSAGE_DELETE `{id, channel_id, guild_id}` is dispatched. */
  userDeletes(messageId: string): void;
  /** A member starts typing in a channel or thread: TYPING_START, to sessions with the GUILD_MESSAGE_TYPING intent. */
  userTyping(input: { channelId: string; userId: string }): number;
  /** Dispatches MESSAGE_CREATE of an existing message again (a replay). */
  redeliver(messageId: string): void;
  /** Any dispatch, as is. Returns how many live connections got it. */
  dispatch(t: string, d: unknown): number;
  runCommand(input: CommandInput): FakeInteraction;
  pressButton(input: { userId: string; messageId: string; customId: string; applicationId?: string }): FakeInteraction;
  /** Someone deletes a channel or thread (its messages go with it); THREAD_DELETE is dispatched for a thread. */
  deleteChannel(id: string): void;
  /** A file on the fake CDN, for an ATTACHMENT option's `resolved.attachments` entry. */
  addAttachment(filename: string, bytes: Buffer, contentType?: string): FakeAttachment;
  /** 429 the next matching requests. */
  rateLimitNext(limit: ScriptedLimit): void;
  /**
   * The next `count` requests on `route` take effect, but their answer is lost
   * (the connection is cut after processing), as when the caller dies or the
   * network drops between Discord's answer and the caller's record.
   */
  loseAnswerNext(route: string, count?: number): void;
  /** Closes every gateway socket from the server side. */
  dropConnections(how?: { code?: number; terminate?: boolean }): void;
  setHeartbeatAcks(on: boolean): void;
  waitFor<R>(predicate: (fake: DiscordFake) => R, timeoutMs?: number): Promise<Exclude<R, Falsy>>;
  close(): Promise<void>;
}

/**
 * Starts the fake on 127.0.0.1: REST under `/api/v10` (Authorization `Bot
 * <token>`; interaction callbacks and webhooks need none) and the gateway
 * WebSocket on the same port, whose URL `GET /gateway/bot` hands out, so the
 * real discord.js connects to it (reference/offline-sdks.md §3).
 */
export async function startDiscordFake(opts: DiscordFakeOptions = {}): Promise<DiscordFake> {
  const config = {
    token: opts.token ?? 'discord-fake-bot-token-0123456789',
    applicationId: opts.applicationId ?? '900000000000000001',
    guildId: opts.guildId ?? '910000000000000001',
    channels: opts.channels ?? ['920000000000000001'],
    botUserId: opts.botUserId ?? '930000000000000001',
  };
  const users = opts.users ?? { '940000000000000001': { username: 'alex', global_name: 'Alex' } };
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const s = new GuildState({
    config, users,
    heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 41_250,
    messageContentAllowed: opts.messageContentAllowed ?? true,
    resumableMs: opts.resumableMs ?? 60_000,
    deadlineMs: opts.interactionDeadlineMs ?? 3000,
    onChange: () => events.emit('change'),
  });
  const { g, channels, messages, byId, reactions, interactions, gateway, deadlineMs } = s;
  const changed = s.changed;
  const routes = restRoutes(s);
  const calls: RecordedCall[] = [];
  const limits = new RateLimits(opts.routeLimits === undefined ? DEFAULT_ROUTE_LIMITS : opts.routeLimits, opts.globalPerSecond ?? 50);
  let rateLimitedCount = 0;
  /** Routes whose next answers are lost after the request took effect (see `loseAnswerNext`). */
  const lostAnswers = new Map<string, number>();
  let invalidRequestCount = 0;


  const cdn = new Map<string, { bytes: Buffer; contentType: string }>();
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const file = /^\/attachments\/(\d+)\/[^/]+$/.exec(url.pathname);
    if (file && req.method === 'GET') {
      // An unsigned (or expired) CDN link answers 404 "This content is no longer available."
      const signed = url.searchParams.get('hm') && parseInt(url.searchParams.get('ex') ?? '0', 16) * 1000 > Date.now();
      const stored = signed ? cdn.get(file[1]!) : undefined;
      if (!stored) { res.writeHead(404, { 'content-type': 'text/plain' }).end('This content is no longer available.'); return; }
      res.writeHead(200, { 'content-type': stored.contentType, 'content-length': stored.bytes.length });
      res.end(stored.bytes);
      return;
    }
    const raw = await readBody(req);
    const send = (reply: Reply, route: string, parsed: Request | undefined, authorized: boolean) => {
      const headers: Record<string, string> = { ...reply.headers };
      if (reply.json !== undefined) headers['content-type'] = 'application/json';
      res.writeHead(reply.status, headers);
      res.end(reply.json !== undefined ? JSON.stringify(reply.json) : undefined);
      calls.push({ method: req.method ?? 'GET', path: `${url.pathname.replace(/^\/api\/v\d+/, '')}${url.search}`, route, status: reply.status, body: parsed?.body, files: parsed?.files.map((f) => f.name) ?? [], authorized, at: Date.now() });
      if (reply.status === 429) rateLimitedCount += 1;
      changed();
    };
    const m = /^\/api\/v10(\/.*)$/.exec(url.pathname);
    const path = m?.[1] ?? '';
    const route = routes.find((r) => r.method === req.method && r.pattern.test(path));
    if (!route) { send({ status: 404, json: { message: '404: Not Found', code: 0 } }, `${req.method} ${path}`, undefined, false); return; }
    const authorized = req.headers.authorization === `Bot ${config.token}`;
    if (route.auth && !authorized) {
      invalidRequestCount += 1;
      send({ status: 401, json: { message: '401: Unauthorized', code: 0 } }, route.route, undefined, false);
      return;
    }
    let parsed: Request;
    try {
      parsed = await parseRequest(req, raw, route, path, url.searchParams);
    } catch {
      send(errorReply({ status: 400, code: 50109, message: 'The request body contains invalid JSON.' }), route.route, undefined, authorized);
      return;
    }
    const verdict = limits.check(route.route, route.major?.(parsed.params) ?? '', Boolean(route.exempt));
    if (verdict.status === 429) {
      if (verdict.invalid) invalidRequestCount += 1;
      send({ status: 429, json: verdict.body, headers: verdict.headers }, route.route, parsed, authorized);
      return;
    }
    const reply = route.handle(parsed);
    if (reply.status === 403 || reply.status === 401) invalidRequestCount += 1;
    if ((lostAnswers.get(route.route) ?? 0) > 0) {
      lostAnswers.set(route.route, lostAnswers.get(route.route)! - 1);
      calls.push({ method: req.method ?? 'GET', path: `${url.pathname.replace(/^\/api\/v\d+/, '')}${url.search}`, route: route.route, status: 0, body: parsed.body, files: parsed.files.map((f) => f.name), authorized, at: Date.now() });
      changed();
      res.destroy();
      return;
    }
    send({ ...reply, headers: { ...verdict.headers, ...reply.headers } }, route.route, parsed, authorized);
  };

  const server = createServer((req, res) => { handle(req, res).catch((e: unknown) => { res.writeHead(500); res.end(String(e)); }); });
  server.on('upgrade', (req, socket, head) => gateway.handleUpgrade(req, socket, head, s.gatewayUrl));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  s.origin = `http://127.0.0.1:${port}`;
  const origin = s.origin;

  const track = (it: FakeInteraction) => {
    interactions.push(it);
    // Discord waits 3 s for the first answer, then shows "This interaction failed".
    setTimeout(() => { if (!it.callbacks.length) { it.failed = true; changed(); } }, deadlineMs).unref();
    gateway.dispatch('INTERACTION_CREATE', it.payload);
    changed();
    return it;
  };

  const fake: DiscordFake = {
    url: `${origin}/api`,
    gatewayUrl: s.gatewayUrl,
    config,
    calls, messages, reactions, interactions,
    get commands() { return s.commands; },
    identifies: gateway.identifies,
    connections: gateway.connections,
    get liveConnections() { return gateway.liveCount; },
    get maxLiveConnections() { return gateway.maxLive; },
    get rateLimitedCount() { return rateLimitedCount; },
    get invalidRequestCount() { return invalidRequestCount; },
    channel: (id) => channels.get(id),
    message: (id) => byId.get(id),
    messagesIn: (channelId) => messages.filter((m) => m.channel_id === channelId),
    threadsIn: (parentId) => [...channels.values()].filter((c) => c.type === 11 && c.parent_id === parentId),
    dmsTo(userId) {
      const dm = [...channels.values()].find((c) => c.type === 1 && (c as { recipients?: { id: string }[] }).recipients?.[0]?.id === userId);
      return dm ? messages.filter((m) => m.channel_id === dm.id) : [];
    },
    ephemeralsTo: (userId) => interactions.filter((i) => i.userId === userId).flatMap((i) => [
      ...(i.reply?.ephemeral ? [i.reply.content] : []),
      ...i.followups.filter((f) => f.ephemeral).map((f) => f.content),
    ]),
    callsTo: (route) => calls.filter((c) => c.route === route),
    userWrites(input) {
      const channel = channels.get(input.channelId);
      if (!channel) throw new Error(`no channel ${input.channelId} in the fake guild`);
      const m = newMessage(g, { id: nextSnowflake(), channel, authorId: input.userId, content: input.content, ...(input.type !== undefined ? { type: input.type } : {}), ...(input.webhookId ? { webhookId: input.webhookId } : {}) });
      if (input.attachments) m.attachments = input.attachments;
      if (input.webhookId) m.author = { id: input.webhookId, username: 'Deploy hook', discriminator: '0000', global_name: null, avatar: null, bot: true };
      // `keep: false`: only the dispatch, as for a frame that echoes a message stored elsewhere.
      if (input.keep !== false) s.store(m);
      s.dispatchMessage(m, input.guildId);
      changed();
      return m;
    },
    userEdits(messageId, content) {
      const m = byId.get(messageId);
      if (!m) throw new Error(`no message ${messageId} to edit`);
      m.content = content;
      m.edited_timestamp = new Date().toISOString();
      // Gateway MESSAGE_UPDATE: the message object as MESSAGE_CREATE carries it (events/gateway-events.mdx "Message Update").
      gateway.dispatch('MESSAGE_UPDATE', messageCreate(g, m));
      changed();
      return m;
    },
    userDeletes(messageId) {
      const m = byId.get(messageId);
      if (!m) throw new Error(`no message ${messageId} to delete`);
      byId.delete(messageId);
      const at = messages.indexOf(m);
      if (at >= 0) messages.splice(at, 1);
      gateway.dispatch('MESSAGE_DELETE', { id: m.id, channel_id: m.channel_id, ...(m.guild_id ? { guild_id: m.guild_id } : {}) });
      changed();
    },
    userTyping(input) {
      if (!channels.get(input.channelId)) throw new Error(`no channel ${input.channelId} in the fake guild`);
      return gateway.dispatch('TYPING_START', typingStart(g, input.channelId, input.userId));
    },
    redeliver(messageId) {
      const m = byId.get(messageId);
      if (!m) throw new Error(`no message ${messageId}`);
      s.dispatchMessage(m);
    },
    dispatch: (t, d) => gateway.dispatch(t, d),
    runCommand(input) {
      const command = s.commands.find((c) => c.name === input.name);
      if (!command) throw new Error(`/${input.name} is not registered in the fake guild (the bot must PUT its commands first)`);
      const channel = channels.get(input.channelId);
      if (!channel) throw new Error(`no channel ${input.channelId}`);
      const userIds = collectUserOptions(input.options ?? []);
      const known = userIds.filter((id) => users[id] || id === config.botUserId);
      const resolved = input.resolved ?? (known.length ? {
        users: Object.fromEntries(known.map((id) => [id, userById(g, id)])),
        // Partial members: without user, deaf and mute (receiving-and-responding.mdx "Resolved Data Structure").
        members: Object.fromEntries(known.map((id) => { const { deaf: _d, mute: _m, ...member } = memberWithoutUser(g); return [id, { ...member, permissions: '0' }]; })),
      } : undefined);
      const id = nextSnowflake();
      const token = `itoken-${randomBytes(12).toString('hex')}`;
      const guildId = input.guildId ?? config.guildId;
      const payload = {
        ...interactionBase(g, { id, token, type: 2, userId: input.userId, channel, guildId, ...(input.applicationId ? { applicationId: input.applicationId } : {}) }),
        data: { id: command.id, name: input.name, type: 1, guild_id: guildId, ...(input.options ? { options: input.options } : {}), ...(resolved ? { resolved } : {}) },
      };
      return track({ id, token, type: 2, name: input.name, userId: input.userId, channelId: channel.id, createdAt: Date.now(), payload, callbacks: [], followups: [], failed: false });
    },
    pressButton(input) {
      const m = byId.get(input.messageId);
      if (!m) throw new Error(`no message ${input.messageId}`);
      const channel = channels.get(m.channel_id)!;
      const id = nextSnowflake();
      const token = `itoken-${randomBytes(12).toString('hex')}`;
      const payload = { ...interactionBase(g, { id, token, type: 3, userId: input.userId, channel, ...(input.applicationId ? { applicationId: input.applicationId } : {}) }), data: { custom_id: input.customId, component_type: 2 }, message: m };
      return track({ id, token, type: 3, customId: input.customId, userId: input.userId, channelId: channel.id, createdAt: Date.now(), payload, callbacks: [], followups: [], failed: false });
    },
    deleteChannel(id) {
      const c = channels.get(id);
      if (!c) return;
      channels.delete(id);
      for (let i = messages.length - 1; i >= 0; i--) if (messages[i]!.channel_id === id) { byId.delete(messages[i]!.id); messages.splice(i, 1); }
      if (c.type === 11) gateway.dispatch('THREAD_DELETE', { id, guild_id: config.guildId, parent_id: c.parent_id, type: 11 });
      changed();
    },
    addAttachment(filename, bytes, contentType = 'text/csv') {
      const id = nextSnowflake();
      cdn.set(id, { bytes, contentType });
      // Signed as Discord signs CDN links since 2024: `ex` (expiry, hex seconds), `is` (issued), `hm` (the signature).
      const now = Math.floor(Date.now() / 1000);
      const signed = `ex=${(now + 86_400).toString(16)}&is=${now.toString(16)}&hm=${randomBytes(32).toString('hex')}`;
      const url = `${origin}/attachments/${id}/${encodeURIComponent(filename)}?${signed}`;
      return { id, filename, size: bytes.length, url, proxy_url: url, content_type: contentType };
    },
    rateLimitNext: (limit) => limits.script(limit),
    loseAnswerNext(route, count = 1) { lostAnswers.set(route, (lostAnswers.get(route) ?? 0) + count); },
    dropConnections: (how) => gateway.dropAll(how),
    setHeartbeatAcks(on) { gateway.ackHeartbeats = on; },
    waitFor: (predicate, timeoutMs = 5000) => waitFor(fake, events, predicate, timeoutMs, () => `${calls.length} REST calls (last: ${calls.slice(-5).map((c) => `${c.route} ${c.status}`).join(', ')}); ${gateway.liveCount} live gateway connections`),
    async close() {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

function collectUserOptions(options: NonNullable<CommandInput['options']>): string[] {
  return options.flatMap((o) => (o.type === 6 && typeof o.value === 'string' ? [o.value] : collectUserOptions(o.options ?? [])));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** JSON, or multipart with `payload_json` and `files[n]` (how @discordjs/rest uploads files). */
async function parseRequest(req: IncomingMessage, raw: Buffer, route: Route, path: string, query: URLSearchParams): Promise<Request> {
  const params = [...(route.pattern.exec(path) ?? [])].slice(1);
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData();
    const files: Request['files'] = [];
    for (const [key, value] of form.entries()) {
      if (key.startsWith('files[') && typeof value !== 'string') files.push({ name: value.name, size: value.size, type: value.type });
    }
    const json = form.get('payload_json');
    return { method: req.method ?? 'POST', params, query, body: typeof json === 'string' ? (JSON.parse(json) as Record<string, unknown>) : {}, files };
  }
  const body = raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
  return { method: req.method ?? 'GET', params, query, body, files: [] };
}
