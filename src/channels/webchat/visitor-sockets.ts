import type { WebSocket } from 'ws';
import type { HistoryLine } from './history.js';

/** One open widget socket. */
export interface Client {
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
  /** A push is queued on the chain and has not started: another notify adds nothing. */
  pushQueued?: boolean;
}

/** Writes one frame to a socket that is still open (JSON text). */
export function writeFrame(client: Client, frame: object): void {
  if (client.ws.readyState === client.ws.OPEN) client.ws.send(JSON.stringify(frame));
}

/** A history line as the widget gets it: the desk's own references (the thread message, the conversation) stay here. */
export function messageFrame(line: HistoryLine): object {
  const { ref: _ref, convId: _conv, ...shown } = line;
  return { type: 'message', ...shown };
}

/** The open sockets of this process, all of them and by visitor (a visitor may have several tabs and devices). */
export class VisitorSockets {
  readonly all = new Set<Client>();
  private readonly byVisitor = new Map<string, Set<Client>>();

  add(client: Client): void {
    this.all.add(client);
  }

  /** The socket now speaks for `visitorId` (after its hello). */
  identify(client: Client, visitorId: string): void {
    client.visitorId = visitorId;
    let set = this.byVisitor.get(visitorId);
    if (!set) this.byVisitor.set(visitorId, (set = new Set()));
    set.add(client);
  }

  of(visitorId: string): Iterable<Client> {
    return this.byVisitor.get(visitorId) ?? [];
  }

  has(visitorId: string): boolean {
    return this.byVisitor.has(visitorId);
  }

  visitors(): Iterable<string> {
    return this.byVisitor.keys();
  }

  forget(client: Client): void {
    this.all.delete(client);
    if (!client.visitorId) return;
    const set = this.byVisitor.get(client.visitorId);
    set?.delete(client);
    if (set && !set.size) this.byVisitor.delete(client.visitorId);
  }
}
