import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';

/** The part of a `ws` WebSocket the fake uses (`ws` ships no type declarations here). */
interface WsSocket {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
  on(event: 'close', listener: () => void): void;
}

interface WsServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, done: (ws: WsSocket) => void): void;
  close(done?: () => void): void;
}

const require = createRequire(import.meta.url);
const { WebSocketServer } = require('ws') as {
  WebSocketServer: new (options: { noServer: true }) => WsServer;
};

const WS_OPEN = 1;

/** The Socket Mode envelope types Slack sends (docs.slack.dev Socket Mode; slack-morphism `SlackSocketModeEvent`). */
export type EnvelopeType = 'events_api' | 'interactive' | 'slash_commands';

/** Options for one pushed envelope. */
export interface PushOptions {
  type: EnvelopeType;
  /** `retry_attempt` of an events_api envelope (Slack's Socket Mode counterpart of X-Slack-Retry-Num). */
  retryAttempt?: number;
  /** `retry_reason`, e.g. 'timeout'. */
  retryReason?: string;
  /** Defaults to true for slash_commands, false otherwise. */
  acceptsResponsePayload?: boolean;
  /** How long to wait for the client's ack (default 5000 ms). */
  timeoutMs?: number;
}

/** What the client sent back: `{envelope_id, payload}` (SocketModeClient.send). */
export interface SocketAck {
  envelope_id: string;
  payload?: unknown;
}

/** The WebSocket half of the fake. */
export interface SocketModeServer {
  /** Issues a single-use ticket and returns the ws:// URL apps.connections.open hands out. */
  issueUrl(origin: string): string;
  /** Handles an HTTP upgrade; rejects unknown or reused tickets with 401. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  push(payload: unknown, options: PushOptions): Promise<SocketAck>;
  /** Sends `{type:'disconnect', reason}` to every open connection, as Slack does before recycling one. */
  disconnectAll(reason: string): void;
  /** Connections accepted since start. */
  readonly connectionCount: number;
  /** Connections open now. */
  readonly openCount: number;
  readonly acks: SocketAck[];
  close(): Promise<void>;
}

/** Creates the Socket Mode server; `onChange` runs after every connection change and ack. */
export function createSocketModeServer(appId: string, onChange: () => void): SocketModeServer {
  const wss = new WebSocketServer({ noServer: true });
  const tickets = new Set<string>();
  const open: WsSocket[] = [];
  const pending = new Map<string, { resolve: (ack: SocketAck) => void; reject: (error: Error) => void }>();
  const acks: SocketAck[] = [];
  let connectionCount = 0;

  const accept = (ws: WsSocket): void => {
    connectionCount += 1;
    open.push(ws);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let ack: SocketAck;
      try {
        ack = JSON.parse(data.toString('utf8')) as SocketAck;
      } catch {
        return;
      }
      if (typeof ack.envelope_id !== 'string') return;
      acks.push(ack);
      pending.get(ack.envelope_id)?.resolve(ack);
      onChange();
    });
    ws.on('close', () => {
      const index = open.indexOf(ws);
      if (index !== -1) open.splice(index, 1);
      onChange();
    });
    // The client counts as connected only after `hello`
    // (@slack/socket-mode SocketModeClient.onWebSocketMessage).
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: open.length,
        debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: appId },
      }),
    );
    onChange();
  };

  return {
    issueUrl(origin) {
      const ticket = randomUUID();
      tickets.add(ticket);
      return `${origin.replace(/^http/, 'ws')}/link/?ticket=${ticket}&app_id=${appId}`;
    },
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://fake');
      const ticket = url.searchParams.get('ticket') ?? '';
      if (url.pathname !== '/link/' || !tickets.delete(ticket)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, accept);
    },
    push(payload, options) {
      const ws = [...open].reverse().find((s) => s.readyState === WS_OPEN);
      if (!ws) {
        return Promise.reject(
          new Error('No open Socket Mode connection: start the SocketModeClient (or a Bolt App with socketMode) first.'),
        );
      }
      const envelopeId = randomUUID();
      const envelope: Record<string, unknown> = {
        envelope_id: envelopeId,
        payload,
        type: options.type,
        accepts_response_payload: options.acceptsResponsePayload ?? options.type === 'slash_commands',
      };
      if (options.type === 'events_api') {
        envelope.retry_attempt = options.retryAttempt ?? 0;
        envelope.retry_reason = options.retryReason ?? '';
      }
      const timeoutMs = options.timeoutMs ?? 5000;
      return new Promise<SocketAck>((resolve, reject) => {
        const settle = (): void => {
          clearTimeout(timer);
          pending.delete(envelopeId);
        };
        const timer = setTimeout(() => {
          settle();
          reject(new Error(`No ack for ${options.type} envelope ${envelopeId} within ${timeoutMs} ms.`));
        }, timeoutMs);
        pending.set(envelopeId, {
          resolve: (ack) => {
            settle();
            resolve(ack);
          },
          reject: (error) => {
            settle();
            reject(error);
          },
        });
        ws.send(JSON.stringify(envelope));
      });
    },
    disconnectAll(reason) {
      for (const ws of open) {
        ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake' } }));
      }
    },
    get connectionCount() {
      return connectionCount;
    },
    get openCount() {
      return open.length;
    },
    acks,
    async close() {
      for (const waiter of [...pending.values()]) waiter.reject(new Error('Fake Slack closed before the envelope was acked.'));
      // Close politely first so clients finish their close handshake, then cut what is left.
      for (const ws of open) ws.close(1001, 'server shutting down');
      const deadline = Date.now() + 500;
      while (open.length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      for (const ws of [...open]) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
