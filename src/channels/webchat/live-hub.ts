import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Desk } from '../../core/desk.js';
import type { StorePort } from '../../core/ports.js';
import type { Logger } from '../../runtime/logger.js';
import type { Metrics } from '../../runtime/metrics.js';
import { clientAddress } from './client-address.js';
import { followFeed } from './follow-feed.js';
import { onLocalAppend } from './history-feed.js';
import { heartbeat, lookAtAll } from './hub-upkeep.js';
import { verifyUserHash, visitorIds } from './identity.js';
import { MessageLimiter, SlidingWindow, type WebchatLimits } from './limits.js';
import type { OriginPattern } from './origins.js';
import { CLOSE, parseFrame, type HelloFrame, type SendFrame } from './protocol.js';
import { pushNewLines } from './push-lines.js';
import { WebchatFiles } from './files.js';
import { VisitorHistory } from './history.js';
import { WebchatSessions } from './sessions.js';
import { takeSeen, type SeenDeps } from './take-seen.js';
import { takeVisitorMessage, type VisitorMessageDeps } from './take-visitor-message.js';
import { refuseUpgrade, socketOriginAllowed } from './upgrade-guard.js';
import { VisitorSockets, writeFrame, type Client } from './visitor-sockets.js';

export interface LiveHubOptions {
  desk: Pick<Desk, 'receiveCustomerMessage'>;
  store: StorePort;
  log: Logger;
  metrics: Metrics;
  origins: readonly OriginPattern[];
  identitySecret: string | undefined;
  /** WEBCHAT_TRUST_PROXY: reverse proxies in front of the desk, whose X-Forwarded-For entries name the visitor. */
  trustedProxies: number;
  limits: WebchatLimits;
  /** Marks an agent's message read in its thread once the visitor saw it. */
  markRead: SeenDeps['markRead'];
  now?: () => number;
  /** Ping interval; a socket that did not answer the previous ping is dropped. */
  heartbeatMs?: number;
  /** A socket with nothing from the visitor for this long is closed (the widget reconnects on the next keystroke). */
  idleMs?: number;
  /** How often the hub reads the histories' change feed for lines another replica appended (Redis only); 0: never. */
  syncMs?: number;
}

/** Largest frame a widget may send: a 4,000-character message in JSON with room to spare. */
const MAX_FRAME_BYTES = 64 * 1024;

/**
 * The live side of web chat: the WebSocket at `/chat/socket` on the bot's one
 * HTTP server. Checks the origin and the per-IP connection rate at the
 * upgrade, identifies the visitor in the first frame, replays their history
 * after the id they saw last, takes their messages and seen marks into the
 * desk, and pushes new history lines (and agents' typing) to every socket the
 * visitor has open here.
 */
export class LiveHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  private readonly sockets = new VisitorSockets();
  private readonly history: VisitorHistory;
  private readonly sessions: WebchatSessions;
  private readonly intake: VisitorMessageDeps;
  private readonly seen: SeenDeps;
  private readonly messages: MessageLimiter;
  private readonly connections: SlidingWindow;
  private readonly now: () => number;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly stopLocal: () => void;

  constructor(private readonly o: LiveHubOptions) {
    this.history = new VisitorHistory(o.store);
    this.sessions = new WebchatSessions(o.store);
    this.messages = new MessageLimiter(o.limits);
    this.connections = new SlidingWindow(o.limits.ipConnections, o.limits.windowMs);
    this.intake = { desk: o.desk, store: o.store, history: this.history, files: new WebchatFiles(o.store), limiter: this.messages, metrics: o.metrics };
    this.seen = { store: o.store, history: this.history, markRead: o.markRead };
    this.now = o.now ?? Date.now;
    this.timers.push(setInterval(() => this.upkeep(), o.heartbeatMs ?? 25_000));
    // Lines appended in this process are announced here; only another replica's come by the feed.
    this.stopLocal = onLocalAppend(o.store, (v) => this.notify(v));
    const syncMs = o.syncMs ?? 250;
    if (o.store.kind === 'redis' && syncMs > 0) {
      const notify = (v: string) => this.notify(v);
      this.timers.push(followFeed({ store: o.store, here: (v) => this.sockets.has(v), notify, lookAtAll: () => lookAtAll(this.sockets, this.history, notify) }, syncMs));
    }
    for (const t of this.timers) t.unref();
    o.metrics.gauge('webchat_open_sockets', () => this.sockets.all.size);
  }

  /** The server's `upgrade` for `/chat/socket`. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const ip = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], this.o.trustedProxies);
    if (!socketOriginAllowed(req, this.o.origins)) {
      this.o.log.info({ channel: 'webchat', origin: req.headers.origin }, 'web chat socket from an origin not in WEBCHAT_ORIGINS refused');
      refuseUpgrade(socket, 403, 'Forbidden');
      return;
    }
    if (!this.connections.take(ip, this.now()).ok) {
      refuseUpgrade(socket, 429, 'Too Many Requests');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, ip));
  }

  private accept(ws: WebSocket, ip: string): void {
    const client: Client = { ws, ip, queue: 'default', sent: 0, alive: true, lastActivity: this.now(), chain: Promise.resolve() };
    this.sockets.add(client);
    ws.on('pong', () => { client.alive = true; });
    ws.on('message', (data, isBinary) => {
      client.lastActivity = this.now();
      const frame = isBinary || !Buffer.isBuffer(data) ? undefined : parseFrame(data.toString('utf8'));
      if (!frame) { ws.close(CLOSE.badFrame, 'bad frame'); return; }
      if (frame.type === 'ping') { writeFrame(client, { type: 'pong' }); return; }
      const run = () => (frame.type === 'hello' ? this.hello(client, frame) : frame.type === 'send' ? this.send(client, frame) : this.markSeen(client, frame.id));
      client.chain = client.chain.then(run).catch((err: unknown) => {
        this.o.log.error({ channel: 'webchat', err: String(err) }, 'web chat frame failed; the widget will resend');
        ws.close(1011, 'try again');
      });
    });
    ws.on('close', () => this.sockets.forget(client));
    ws.on('error', () => this.sockets.forget(client));
  }

  private async hello(client: Client, hello: HelloFrame): Promise<void> {
    if (client.visitorId) return;
    client.queue = hello.queue ?? 'default';
    let token: string | undefined;
    let visitorId: string | undefined;
    if (hello.userId !== undefined) {
      const secret = this.o.identitySecret;
      if (!secret || !verifyUserHash(hello.userId, hello.userHash ?? '', secret)) {
        this.o.log.warn({ channel: 'webchat' }, 'web chat identity refused: data-user-hash does not match data-user-id (or WEBCHAT_IDENTITY_SECRET is not set)');
        writeFrame(client, { type: 'error', code: 'identity_refused' });
        client.ws.close(CLOSE.identityRefused, 'identity refused');
        return;
      }
      visitorId = visitorIds.user(hello.userId);
      if (hello.userName) client.customerName = hello.userName;
    } else {
      visitorId = await this.sessions.resolve(hello.token);
      if (!visitorId) ({ token, visitorId } = await this.sessions.create(this.now()));
    }
    this.sockets.identify(client, visitorId);
    client.sent = hello.lastSeen;
    // The visitor id is the conversation's customer id: a reference a visitor can quote to support.
    writeFrame(client, { type: 'ready', visitor: visitorId, ...(token ? { token } : {}) });
    await pushNewLines(this.history, client);
  }

  private async send(client: Client, frame: SendFrame): Promise<void> {
    const visitorId = client.visitorId;
    if (!visitorId) { client.ws.close(CLOSE.badFrame, 'hello first'); return; }
    const sender = { visitorId, queue: client.queue, ip: client.ip, ...(client.customerName ? { customerName: client.customerName } : {}) };
    const taken = await takeVisitorMessage(this.intake, sender, frame, this.now());
    if (!taken.ok) {
      writeFrame(client, { type: 'notice', code: taken.code, clientId: frame.clientId, ...(taken.retryInMs ? { retryInMs: taken.retryInMs } : {}) });
      return;
    }
    writeFrame(client, { type: 'ack', clientId: frame.clientId });
    this.notify(visitorId);
  }

  /** The visitor saw up to `id`; never past what this socket was sent, so a made-up id cannot skip later marks. */
  private async markSeen(client: Client, id: number): Promise<void> {
    if (!client.visitorId) { client.ws.close(CLOSE.badFrame, 'hello first'); return; }
    await takeSeen(this.seen, client.visitorId, Math.min(id, client.sent));
  }

  /** New lines for a visitor: every socket of theirs here gets what it has not seen (one push queued is enough: it reads when it starts). */
  notify(visitorId: string): void {
    for (const c of this.sockets.of(visitorId)) {
      if (c.pushQueued) continue;
      c.pushQueued = true;
      c.chain = c.chain.then(() => { c.pushQueued = false; return pushNewLines(this.history, c); }).catch((err: unknown) => {
        this.o.log.warn({ channel: 'webchat', err: String(err) }, 'web chat push failed; the widget resumes on reconnect');
      });
    }
  }

  /** An agent is writing to this visitor: their sockets here show it for a few seconds (best effort, nothing stored). */
  typing(visitorId: string, agentName: string): void {
    for (const c of this.sockets.of(visitorId)) writeFrame(c, { type: 'typing', name: agentName });
  }

  private upkeep(): void {
    const now = this.now();
    heartbeat(this.sockets, now, this.o.idleMs ?? 30 * 60_000);
    this.messages.sweep(now);
    this.connections.sweep(now);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.stopLocal();
    for (const c of this.sockets.all) c.ws.close(CLOSE.goingAway, 'stopping');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
