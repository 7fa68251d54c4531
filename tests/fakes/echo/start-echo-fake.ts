import { createHmac } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor, type Falsy } from '../slack/wait-for.js';
import { readRawBody } from '../whatsapp/read-raw-body.js';
import { writeJson } from '../whatsapp/write-json.js';
import { EchoState, type EchoMessage } from './echo-state.js';

export type { EchoCall, EchoDirect, EchoMessage, EchoPrivate } from './echo-state.js';

export interface EchoFakeOptions {
  /** Shared by both directions: the bot's bearer token, and the HMAC key of the events the fake sends. */
  secret: string;
  /** The bot's own user id (default `EBOT`). */
  botId?: string;
  /** Channels that exist (default `E-SUPPORT`). */
  channels?: string[];
}

/** One event as the fake sends it to the bot: a message someone wrote in a thread. */
export interface EchoEvent {
  id: string;
  type: 'message';
  message: Pick<EchoMessage, 'id' | 'channel' | 'thread' | 'user' | 'text'> & { bot?: boolean };
}

export interface EchoFake extends EchoState {
  url: string;
  botId: string;
  /** Where events go (the desk's `POST /echo/events`); set once the desk listens. */
  eventsUrl: string | undefined;
  /** A person writes in a thread: the message is stored, then its event is sent (signed). */
  userWrites(user: string, channel: string, thread: string, text: string, eventId?: string): Promise<{ status: number; messageId: string; eventId: string }>;
  /** Sends one event (signed unless `signature` says otherwise); answers the bot's HTTP status. */
  sendEvent(event: EchoEvent, o?: { signature?: string }): Promise<number>;
  /** Sends an event already sent once again, byte for byte, as a platform does on retries. */
  redeliver(eventId: string): Promise<number>;
  waitFor<R>(predicate: (fake: EchoFake) => R, timeoutMs?: number): Promise<Exclude<R, Falsy>>;
  close(): Promise<void>;
}

/** A call with a missing or non-string argument: answered 400 `invalid_arguments`. */
class BadArguments extends Error {}

/** A string argument of a call's body; `optional` ones may be absent. */
function arg(b: Record<string, unknown>, key: string): string;
function arg(b: Record<string, unknown>, key: string, optional: true): string | undefined;
function arg(b: Record<string, unknown>, key: string, optional = false): string | undefined {
  const v = b[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string') throw new BadArguments(`${key} must be a string`);
  return v;
}

/** `x-echo-signature: sha256=<hex HMAC-SHA256(secret, raw body)>`. */
export function echoSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Starts a tiny local "Echo" messenger on 127.0.0.1: a bearer-protected JSON
 * API for the bot (`GET /api/me`, `POST /api/post|edit|react|private|dm`),
 * which records every call, and signed event deliveries to the bot for what
 * people write. Errors answer `{ ok: false, error }` with a 4xx status.
 */
export async function startEchoFake(o: EchoFakeOptions): Promise<EchoFake> {
  const state = new EchoState();
  const events = new EventEmitter();
  const channels = new Set(o.channels ?? ['E-SUPPORT']);
  const botId = o.botId ?? 'EBOT';
  const sent = new Map<string, string>();
  let nextEvent = 1;

  const api: Record<string, (b: Record<string, unknown>) => [number, Record<string, unknown>]> = {
    post(b) {
      const channel = arg(b, 'channel');
      const thread = arg(b, 'thread', true);
      if (!channels.has(channel)) return [404, { error: 'channel_not_found' }];
      if (thread !== undefined && !state.message(channel, thread)) return [404, { error: 'thread_not_found' }];
      const m = state.post({ channel, ...(thread !== undefined ? { thread } : {}), user: botId, bot: true, text: arg(b, 'text') });
      return [200, { id: m.id, thread: m.thread }];
    },
    edit(b) {
      const m = state.message(arg(b, 'channel'), arg(b, 'id'));
      if (!m) return [404, { error: 'message_not_found' }];
      if (m.user !== botId) return [403, { error: 'not_author' }];
      m.text = arg(b, 'text');
      m.edits++;
      return [200, {}];
    },
    react(b) {
      const m = state.message(arg(b, 'channel'), arg(b, 'id'));
      if (!m) return [404, { error: 'message_not_found' }];
      const emoji = arg(b, 'emoji');
      if (!m.reactions.some((r) => r.user === botId && r.emoji === emoji)) m.reactions.push({ user: botId, emoji });
      return [200, {}];
    },
    private(b) {
      const channel = arg(b, 'channel', true);
      const thread = arg(b, 'thread', true);
      state.addPrivate({ user: arg(b, 'user'), text: arg(b, 'text'), ...(channel ? { channel } : {}), ...(thread ? { thread } : {}) });
      return [200, {}];
    },
    dm(b) {
      state.addDirect({ user: arg(b, 'user'), text: arg(b, 'text') });
      return [200, {}];
    },
  };

  const server = createServer((req, res) => void serve(req, res).catch((err: unknown) => writeJson(res, 500, { ok: false, error: String(err) })));
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readRawBody(req);
    if (req.headers.authorization !== `Bearer ${o.secret}`) return writeJson(res, 401, { ok: false, error: 'invalid_auth' });
    const path = new URL(req.url ?? '/', 'http://echo').pathname;
    if (req.method === 'GET' && path === '/api/me') {
      state.calls.push({ method: 'me', body: {} });
      return writeJson(res, 200, { ok: true, id: botId });
    }
    const method = path.startsWith('/api/') ? path.slice(5) : '';
    const handler = req.method === 'POST' ? api[method] : undefined;
    if (!handler) return writeJson(res, 404, { ok: false, error: 'unknown_method' });
    let body: Record<string, unknown>;
    try { body = JSON.parse(raw) as Record<string, unknown>; } catch { return writeJson(res, 400, { ok: false, error: 'invalid_json' }); }
    state.calls.push({ method, body });
    let status: number, answer: Record<string, unknown>;
    try { [status, answer] = handler(body); } catch (err) {
      if (!(err instanceof BadArguments)) throw err;
      [status, answer] = [400, { error: 'invalid_arguments', detail: err.message }];
    }
    writeJson(res, status, { ok: status === 200, ...answer });
    events.emit('change');
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function deliver(body: string, signature: string): Promise<number> {
    if (!fake.eventsUrl) throw new Error('the Echo fake has no eventsUrl: set it to the desk\'s POST /echo/events');
    const res = await fetch(fake.eventsUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-echo-signature': signature }, body });
    await res.arrayBuffer();
    return res.status;
  }

  const fake: EchoFake = Object.assign(state, {
    url, botId, eventsUrl: undefined as string | undefined,
    async userWrites(user: string, channel: string, thread: string, text: string, eventId?: string) {
      const m = state.post({ channel, thread, user, bot: false, text });
      const event: EchoEvent = { id: eventId ?? `ev${nextEvent++}`, type: 'message', message: { id: m.id, channel, thread, user, text } };
      return { status: await fake.sendEvent(event), messageId: m.id, eventId: event.id };
    },
    async sendEvent(event: EchoEvent, so: { signature?: string } = {}) {
      const body = JSON.stringify(event);
      if (so.signature === undefined) sent.set(event.id, body);
      return deliver(body, so.signature ?? echoSignature(o.secret, body));
    },
    async redeliver(eventId: string) {
      const body = sent.get(eventId);
      if (!body) throw new Error(`the Echo fake never sent event ${eventId}`);
      return deliver(body, echoSignature(o.secret, body));
    },
    waitFor<R>(predicate: (f: EchoFake) => R, timeoutMs = 2000) {
      return waitFor(fake, events, predicate, timeoutMs, () => `Echo messages: ${JSON.stringify(state.messages.slice(-10))}`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
  return fake;
}
