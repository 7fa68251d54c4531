import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ConnectionRecord, IdentifyRecord } from './fake-types.js';

/** Gateway intents the fake filters on (developers/events/gateway.mdx "Gateway Intents"). */
export const INTENTS = { GUILDS: 1 << 0, GUILD_MESSAGES: 1 << 9, GUILD_MESSAGE_TYPING: 1 << 11, MESSAGE_CONTENT: 1 << 15 } as const;
/** Events that need an intent; anything else (READY, INTERACTION_CREATE…) goes to every session. */
const EVENT_INTENTS: Record<string, number> = {
  GUILD_CREATE: INTENTS.GUILDS, THREAD_CREATE: INTENTS.GUILDS, THREAD_UPDATE: INTENTS.GUILDS, CHANNEL_CREATE: INTENTS.GUILDS,
  MESSAGE_CREATE: INTENTS.GUILD_MESSAGES, MESSAGE_UPDATE: INTENTS.GUILD_MESSAGES, MESSAGE_DELETE: INTENTS.GUILD_MESSAGES,
  TYPING_START: INTENTS.GUILD_MESSAGE_TYPING,
};

export interface GatewayOptions {
  token: string;
  heartbeatIntervalMs: number;
  /** Whether the app may use the privileged MESSAGE_CONTENT intent (else IDENTIFY is closed with 4014). */
  messageContentAllowed: boolean;
  /** How long a session whose socket dropped can still be resumed. */
  resumableMs: number;
  /** READY's user, guild and application. */
  ready(sessionId: string, resumeUrl: string): Record<string, unknown>;
  /** The GUILD_CREATE sent after READY. */
  guildCreate(): Record<string, unknown>;
  /** The bot's own user id: content of its own messages is never stripped. */
  botUserId: string;
  onChange(): void;
}

interface Session {
  id: string;
  intents: number;
  seq: number;
  /** Dispatches kept for RESUME (the newest 1,000). */
  buffer: { s: number; t: string; d: unknown }[];
  socket: WebSocket | undefined;
  /** When its socket went away; undefined while connected. */
  droppedAt: number | undefined;
  /** Closed with 1000/1001 or invalidated: cannot be resumed. */
  ended: boolean;
}

/**
 * The WebSocket half of the Discord fake: HELLO, IDENTIFY → READY and
 * GUILD_CREATE, heartbeats and their ACKs, RESUME with replay, INVALID_SESSION,
 * and dispatches filtered by intent. A session survives an abrupt drop for
 * `resumableMs` and buffers what happens meanwhile, as Discord does; a close
 * with 1000 ends it.
 */
export class GatewayServer {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  private nextConnection = 0;
  readonly connections: ConnectionRecord[] = [];
  readonly identifies: IdentifyRecord[] = [];
  /** Most connections receiving dispatches at the same time. */
  maxLive = 0;
  /** Answer heartbeats (false: a zombie connection). */
  ackHeartbeats = true;

  constructor(private readonly o: GatewayOptions) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, resumeUrl: string): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, resumeUrl));
  }

  /** Connections receiving dispatches now. */
  get liveCount(): number {
    return this.connections.filter((c) => c.live && c.closedAt === undefined).length;
  }

  /** Sends a dispatch to every session (buffered for sessions that may resume). Returns how many live sockets got it. */
  dispatch(t: string, d: unknown): number {
    let sent = 0;
    const now = Date.now();
    for (const s of this.sessions.values()) {
      if (s.ended || (s.droppedAt !== undefined && now - s.droppedAt > this.o.resumableMs)) continue;
      const needs = EVENT_INTENTS[t];
      if (needs !== undefined && (s.intents & needs) === 0) continue;
      const data = t === 'MESSAGE_CREATE' || t === 'MESSAGE_UPDATE' ? this.withoutContent(s, d) : d;
      const frame = { op: 0, t, s: ++s.seq, d: data };
      s.buffer.push({ s: frame.s, t, d: data });
      if (s.buffer.length > 1000) s.buffer.shift();
      if (s.socket && s.socket.readyState === s.socket.OPEN) { s.socket.send(JSON.stringify(frame)); sent += 1; }
    }
    return sent;
  }

  /** Closes every socket from the server side: `code` 1006-like drop with terminate, or a close frame. */
  dropAll(how: { code?: number; terminate?: boolean } = {}): void {
    for (const s of this.sessions.values()) {
      if (!s.socket) continue;
      if (how.terminate) s.socket.terminate();
      else s.socket.close(how.code ?? 4000, 'fake gateway closed the connection');
    }
  }

  async close(): Promise<void> {
    for (const s of this.sessions.values()) s.socket?.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket, resumeUrl: string): void {
    const conn: ConnectionRecord = { id: ++this.nextConnection, openedAt: Date.now(), live: false, resumed: false, heartbeats: 0 };
    this.connections.push(conn);
    let session: Session | undefined;
    const send = (payload: unknown) => { if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(payload)); };
    send({ op: 10, d: { heartbeat_interval: this.o.heartbeatIntervalMs }, s: null, t: null });

    ws.on('message', (raw, isBinary) => {
      if (isBinary) { ws.close(4002, 'Decode error'); return; }
      let msg: { op?: number; d?: Record<string, unknown> | number | null };
      try { msg = JSON.parse(String(raw)) as typeof msg; } catch { ws.close(4002, 'Decode error'); return; }
      switch (msg.op) {
        case 1:
          conn.heartbeats += 1;
          if (this.ackHeartbeats) send({ op: 11 });
          break;
        case 2: {
          const d = (msg.d ?? {}) as { token?: string; intents?: number; shard?: [number, number] };
          if (session) { ws.close(4005, 'Already authenticated'); return; }
          if (d.token !== this.o.token) { ws.close(4004, 'Authentication failed'); return; }
          if (typeof d.intents !== 'number') { ws.close(4013, 'Invalid intent(s)'); return; }
          if ((d.intents & INTENTS.MESSAGE_CONTENT) && !this.o.messageContentAllowed) { ws.close(4014, 'Disallowed intent(s)'); return; }
          session = { id: randomBytes(16).toString('hex'), intents: d.intents, seq: 0, buffer: [], socket: ws, droppedAt: undefined, ended: false };
          this.sessions.set(session.id, session);
          conn.sessionId = session.id;
          conn.live = true;
          this.identifies.push({ at: Date.now(), intents: d.intents, sessionId: session.id, connection: conn.id, ...(d.shard ? { shard: d.shard } : {}) });
          this.maxLive = Math.max(this.maxLive, this.liveCount);
          const ready = { op: 0, t: 'READY', s: ++session.seq, d: this.o.ready(session.id, resumeUrl) };
          send(ready);
          if (session.intents & INTENTS.GUILDS) send({ op: 0, t: 'GUILD_CREATE', s: ++session.seq, d: this.o.guildCreate() });
          this.o.onChange();
          break;
        }
        case 6: {
          const d = (msg.d ?? {}) as { token?: string; session_id?: string; seq?: number };
          const s = d.session_id ? this.sessions.get(d.session_id) : undefined;
          const expired = !s || s.ended || (s.droppedAt !== undefined && Date.now() - s.droppedAt > this.o.resumableMs);
          if (d.token !== this.o.token || expired) { send({ op: 9, d: false }); return; }
          // A resume from a new socket takes the session over; the old socket is closed.
          if (s.socket && s.socket !== ws) s.socket.close(4009, 'Session taken over');
          session = s;
          s.socket = ws;
          s.droppedAt = undefined;
          conn.sessionId = s.id;
          conn.live = true;
          conn.resumed = true;
          this.maxLive = Math.max(this.maxLive, this.liveCount);
          for (const e of s.buffer) if (e.s > (d.seq ?? 0)) send({ op: 0, t: e.t, s: e.s, d: e.d });
          send({ op: 0, t: 'RESUMED', s: ++s.seq, d: {} });
          this.o.onChange();
          break;
        }
        default:
          break; // presence updates, member requests: ignored
      }
    });
    ws.on('close', (code) => {
      conn.closedAt = Date.now();
      conn.closeCode = code;
      if (session && session.socket === ws) {
        session.socket = undefined;
        session.droppedAt = Date.now();
        // A normal close ends the session (developers/events/gateway.mdx: 1000/1001 invalidate it).
        if (code === 1000 || code === 1001) session.ended = true;
      }
      this.o.onChange();
    });
  }

  /** Without MESSAGE_CONTENT, content/embeds/attachments/components are empty except the bot's own and mentions of it. */
  private withoutContent(s: Session, d: unknown): unknown {
    if (s.intents & INTENTS.MESSAGE_CONTENT) return d;
    const m = d as { author?: { id?: string }; mentions?: { id: string }[] };
    if (m.author?.id === this.o.botUserId || m.mentions?.some((u) => u.id === this.o.botUserId)) return d;
    return { ...(d as object), content: '', embeds: [], attachments: [], components: [] };
  }
}
