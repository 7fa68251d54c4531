import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Desk } from '../../core/desk.js';
import type { StorePort } from '../../core/ports.js';
import type { Logger } from '../../runtime/logger.js';
import type { Metrics } from '../../runtime/metrics.js';
import { clientAddress } from './client-address.js';
import { verifyUserHash, visitorIds } from './identity.js';
import { MessageLimiter, SlidingWindow, type WebchatLimits } from './limits.js';
import { originAllowed, type OriginPattern } from './origins.js';
import { CLOSE, parseFrame, type HelloFrame, type SendFrame } from './protocol.js';
import { WebchatFiles } from './files.js';
import { VisitorHistory } from './history.js';
import { WebchatSessions } from './sessions.js';
import { takeVisitorMessage, type VisitorMessageDeps } from './take-visitor-message.js';

export interface LiveHubOptions {
  desk: Pick<Desk, 'receiveCustomerMessage'>;
  store: StorePort;
  log: Logger;
  metrics: Metrics;
  origins: readonly OriginPattern[];
  identitySecret: string | undefined;
  limits: WebchatLimits;
  now?: () => number;
  /** Ping interval; a socket that did not answer the previous ping is dropped. */
  heartbeatMs?: number;
  /** A socket with nothing from the visitor for this long is closed (the widget reconnects on the next keystroke). */
  idleMs?: number;
  /** How often open sockets look for lines another replica appended; 0: never (one process owns the store). */
  syncMs?: number;
}

/** Largest frame a widget may send: a 4,000-character message in JSON with room to spare. */
const MAX_FRAME_BYTES = 64 * 1024;
/** Queued but unsent bytes above which a socket is dropped; the widget resumes from its last id. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

interface Client {
  ws: WebSocket;
  ip: string;
  visitorId?: string;
  queue: string;
  customerName?: string;
  /** The last history id this socket was sent. */
  sent: number;
  alive: boolean;
  lastActivity: number;
  /** Sends to one socket run one after another, so no line goes out twice or out of order. */
  chain: Promise<void>;
}

/**
 * The live side of web chat: the WebSocket at `/chat/socket` on the bot's one
 * HTTP server. Checks the origin and the per-IP connection rate at the
 * upgrade, identifies the visitor in the first frame, replays their history
 * after the id they saw last, takes their messages into the desk, and pushes
 * new history lines to every socket the visitor has open here.
 */
export class LiveHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private readonly byVisitor = new Map<string, Set<Client>>();
  private readonly clients = new Set<Client>();
  private readonly history: VisitorHistory;
  private readonly sessions: WebchatSessions;
  private readonly intake: VisitorMessageDeps;
  private readonly messages: MessageLimiter;
  private readonly connections: SlidingWindow;
  private readonly now: () => number;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly o: LiveHubOptions) {
    this.history = new VisitorHistory(o.store);
    this.sessions = new WebchatSessions(o.store);
    this.messages = new MessageLimiter(o.limits);
    this.connections = new SlidingWindow(o.limits.ipConnections, o.limits.windowMs);
    this.intake = { desk: o.desk, store: o.store, history: this.history, files: new WebchatFiles(o.store), limiter: this.messages, metrics: o.metrics };
    this.now = o.now ?? Date.now;
    this.timers.push(setInterval(() => this.heartbeat(), o.heartbeatMs ?? 25_000));
    const syncMs = o.syncMs ?? 2_000;
    if (syncMs > 0) this.timers.push(setInterval(() => this.sync(), syncMs));
    for (const t of this.timers) t.unref();
    o.metrics.gauge('webchat_open_sockets', () => this.clients.size);
  }

  /** The server's `upgrade` for `/chat/socket`. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const origin = req.headers.origin;
    const ip = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for']);
    // The frame is served from the bot's own origin; a site may also connect directly from an allowed origin.
    if (!sameOrigin(origin, req.headers.host) && !originAllowed(origin, this.o.origins)) {
      this.o.log.info({ channel: 'webchat', origin }, 'web chat socket from an origin not in WEBCHAT_ORIGINS refused');
      refuse(socket, 403, 'Forbidden');
      return;
    }
    if (!this.connections.take(ip, this.now()).ok) {
      refuse(socket, 429, 'Too Many Requests');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, ip));
  }

  private accept(ws: WebSocket, ip: string): void {
    const client: Client = { ws, ip, queue: 'default', sent: 0, alive: true, lastActivity: this.now(), chain: Promise.resolve() };
    this.clients.add(client);
    ws.on('pong', () => { client.alive = true; });
    ws.on('message', (data, isBinary) => {
      client.lastActivity = this.now();
      const frame = isBinary || !Buffer.isBuffer(data) ? undefined : parseFrame(data.toString('utf8'));
      if (!frame) { ws.close(CLOSE.badFrame, 'bad frame'); return; }
      if (frame.type === 'ping') { this.write(client, { type: 'pong' }); return; }
      client.chain = client.chain
        .then(() => (frame.type === 'hello' ? this.hello(client, frame) : this.send(client, frame)))
        .catch((err: unknown) => {
          this.o.log.error({ channel: 'webchat', err: String(err) }, 'web chat frame failed; the widget will resend');
          ws.close(1011, 'try again');
        });
    });
    ws.on('close', () => this.forget(client));
    ws.on('error', () => this.forget(client));
  }

  private async hello(client: Client, hello: HelloFrame): Promise<void> {
    if (client.visitorId) return;
    client.queue = hello.queue ?? 'default';
    let token: string | undefined;
    if (hello.userId !== undefined) {
      const secret = this.o.identitySecret;
      if (!secret || !verifyUserHash(hello.userId, hello.userHash ?? '', secret)) {
        this.o.log.warn({ channel: 'webchat' }, 'web chat identity refused: data-user-hash does not match data-user-id (or WEBCHAT_IDENTITY_SECRET is not set)');
        this.write(client, { type: 'error', code: 'identity_refused' });
        client.ws.close(CLOSE.identityRefused, 'identity refused');
        return;
      }
      client.visitorId = visitorIds.user(hello.userId);
      if (hello.userName) client.customerName = hello.userName;
    } else {
      client.visitorId = await this.sessions.resolve(hello.token);
      if (!client.visitorId) ({ token, visitorId: client.visitorId } = await this.sessions.create(this.now()));
    }
    let set = this.byVisitor.get(client.visitorId);
    if (!set) this.byVisitor.set(client.visitorId, (set = new Set()));
    set.add(client);
    client.sent = hello.lastSeen;
    // The visitor id is the conversation's customer id: a reference a visitor can quote to support.
    this.write(client, { type: 'ready', visitor: client.visitorId, ...(token ? { token } : {}) });
    await this.flush(client);
  }

  private async send(client: Client, frame: SendFrame): Promise<void> {
    const visitorId = client.visitorId;
    if (!visitorId) { client.ws.close(CLOSE.badFrame, 'hello first'); return; }
    const sender = { visitorId, queue: client.queue, ip: client.ip, ...(client.customerName ? { customerName: client.customerName } : {}) };
    const taken = await takeVisitorMessage(this.intake, sender, frame, this.now());
    if (!taken.ok) {
      this.write(client, { type: 'notice', code: taken.code, clientId: frame.clientId, ...(taken.retryInMs ? { retryInMs: taken.retryInMs } : {}) });
      return;
    }
    this.write(client, { type: 'ack', clientId: frame.clientId });
    this.notify(visitorId);
  }

  /** New lines for a visitor: every socket of theirs here gets what it has not seen. */
  notify(visitorId: string): void {
    for (const c of this.byVisitor.get(visitorId) ?? []) {
      c.chain = c.chain.then(() => this.flush(c)).catch((err: unknown) => {
        this.o.log.warn({ channel: 'webchat', err: String(err) }, 'web chat push failed; the widget resumes on reconnect');
      });
    }
  }

  private async flush(client: Client): Promise<void> {
    if (!client.visitorId) return;
    for (;;) {
      const lines = await this.history.since(client.visitorId, client.sent);
      if (!lines.length) return;
      for (const line of lines) this.write(client, { type: 'message', ...line });
      client.sent = lines[lines.length - 1]!.id;
      if (client.ws.bufferedAmount > MAX_BUFFERED_BYTES) { client.ws.close(CLOSE.slowConsumer, 'slow'); return; }
    }
  }

  private write(client: Client, frame: object): void {
    if (client.ws.readyState === client.ws.OPEN) client.ws.send(JSON.stringify(frame));
  }

  private forget(client: Client): void {
    this.clients.delete(client);
    if (!client.visitorId) return;
    const set = this.byVisitor.get(client.visitorId);
    set?.delete(client);
    if (set && !set.size) this.byVisitor.delete(client.visitorId);
  }

  private heartbeat(): void {
    const now = this.now();
    const idleMs = this.o.idleMs ?? 30 * 60_000;
    for (const c of this.clients) {
      if (!c.alive) { c.ws.terminate(); this.forget(c); continue; }
      if (now - c.lastActivity > idleMs) { c.ws.close(CLOSE.idle, 'idle'); continue; }
      c.alive = false;
      c.ws.ping();
    }
    this.messages.sweep(now);
    this.connections.sweep(now);
  }

  /** Lines appended by another replica (a reply delivered there) reach sockets here within `syncMs`. */
  private sync(): void {
    for (const visitorId of this.byVisitor.keys()) {
      void this.history.length(visitorId).then((n) => {
        if ([...(this.byVisitor.get(visitorId) ?? [])].some((c) => c.sent < n)) this.notify(visitorId);
      }, () => undefined);
    }
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    for (const c of this.clients) c.ws.close(CLOSE.goingAway, 'stopping');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin || !host) return false;
  try { return new URL(origin).host === host; } catch { return false; }
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
