import WebSocket from 'ws';
import type { Desk } from '../../src/core/desk.js';
import { keys } from '../../src/core/keys.js';
import type { Seat } from '../../src/core/model.js';
import type { StorePort } from '../../src/core/ports.js';
import { distribution, type Distribution } from '../support/percentiles.js';

export interface WebchatLoadParams {
  /** Widget sockets open at once, one visitor each. */
  connections: number;
  /** Agent replies each visitor gets while the sockets are open. */
  repliesPerVisitor: number;
  /** Sockets cut (terminated without a close frame) while replies flow; each visitor reconnects and resumes from its last id. */
  reconnects: number;
  /** Loopback source addresses the visitors spread over (127.0.0.2 …), as visitors come from many IPs and the desk limits per IP. */
  addresses: number;
}

/** Called once every socket is open and idle, before the replies: the bench takes its memory figure there. */
export type OnConnected = () => Promise<void> | void;

export interface WebchatLoadResult {
  connections: number;
  repliesSent: number;
  repliesReceived: number;
  lost: number;
  duplicates: number;
  orderViolations: number;
  reconnects: number;
  /** Agent reply accepted by the desk (Desk.replyToCustomer) → the visitor's socket has the message, ms. */
  latencyMs: Distribution;
  /** Visitors connected and their first message acknowledged, ms. */
  connectMs: number;
}

export interface LoadTarget {
  url: string;
  origin: string;
  desk: Desk;
  store: StorePort;
  /** The agent who replies (needs chat.reply in the default queue's department). */
  agent: Seat;
}

/** One widget: resumes from the last id it saw whenever its socket is cut. */
class Visitor {
  ws: WebSocket | undefined;
  token: string | undefined;
  visitorId = '';
  lastSeen = 0;
  readonly agentTexts: string[] = [];
  readonly arrivals = new Map<string, number>();
  duplicates = 0;

  constructor(private readonly t: LoadTarget, private readonly localAddress: string) {}

  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${this.t.url.replace(/^http/, 'ws')}/chat/socket`, { origin: this.t.origin, localAddress: this.localAddress });
      this.ws = ws;
      ws.once('unexpected-response', (_req, res) => reject(new Error(`socket refused: ${res.statusCode}`)));
      ws.once('error', reject);
      ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', lastSeen: this.lastSeen, ...(this.token ? { token: this.token } : {}) })));
      ws.on('message', (data) => {
        const f = JSON.parse(String(data)) as { type: string; id?: number; author?: string; text?: string; token?: string; visitor?: string; clientId?: string };
        if (f.type === 'ready') {
          this.token ??= f.token;
          this.visitorId = f.visitor ?? '';
          resolve();
        } else if (f.type === 'message') {
          if (f.id! <= this.lastSeen) { this.duplicates++; return; }
          this.lastSeen = f.id!;
          if (f.author === 'agent') {
            this.agentTexts.push(f.text!);
            this.arrivals.set(f.text!, performance.now());
          }
        }
      });
    });
  }

  sendFirst(text: string): Promise<void> {
    return new Promise((resolve) => {
      const onAck = (data: WebSocket.RawData) => {
        if ((JSON.parse(String(data)) as { type: string }).type === 'ack') { this.ws!.off('message', onAck); resolve(); }
      };
      this.ws!.on('message', onAck);
      this.ws!.send(JSON.stringify({ type: 'send', clientId: 'first', text }));
    });
  }

  /** A network drop: no close frame; the visitor comes back at once and resumes. */
  cut(): Promise<void> {
    // One cut at a time per visitor: a socket still connecting is not cut again.
    this.cutting = this.cutting.then(async () => {
      this.ws!.terminate();
      await this.connect();
    });
    return this.cutting;
  }

  private cutting = Promise.resolve();

  close(): void { this.ws?.terminate(); }
}

async function inBatches<T>(items: readonly T[], size: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map((it, j) => fn(it, i + j)));
}

/**
 * Opens `connections` widget sockets, has each visitor write once (which opens
 * its conversation), then sends every visitor `repliesPerVisitor` agent replies
 * while cutting `reconnects` sockets at random, and checks that every visitor
 * got every reply once and in order.
 */
export async function webchatLoad(t: LoadTarget, p: WebchatLoadParams, onConnected?: OnConnected): Promise<WebchatLoadResult> {
  const visitors = Array.from({ length: p.connections }, (_, i) => new Visitor(t, `127.0.0.${2 + (i % p.addresses)}`));
  const t0 = performance.now();
  await inBatches(visitors, 50, async (v, i) => {
    await v.connect();
    await v.sendFirst(`load visitor ${i}`);
  });
  const connectMs = performance.now() - t0;
  await onConnected?.();
  const convs = await Promise.all(visitors.map(async (v) => {
    const id = await t.store.getString(keys.customerConversation('webchat', 'default', v.visitorId));
    const conv = id ? await t.desk.conversations.get(id) : undefined;
    if (!conv) throw new Error(`no conversation for ${v.visitorId}`);
    return conv;
  }));

  const sentAt = new Map<string, number>();
  const cutAt = new Set(Array.from({ length: p.reconnects }, () => Math.floor(Math.random() * p.connections * p.repliesPerVisitor)));
  const cuts: Promise<void>[] = [];
  let n = 0;
  for (let r = 0; r < p.repliesPerVisitor; r++) {
    await inBatches(convs, 50, async (conv, i) => {
      const text = `reply ${r} to ${i}`;
      sentAt.set(text, performance.now());
      const res = await t.desk.replyToCustomer(conv, t.agent, text);
      if (!res.ok) throw new Error(`reply refused: ${JSON.stringify(res)}`);
      if (cutAt.has(n++)) cuts.push(visitors[i]!.cut());
    });
  }
  await Promise.all(cuts);
  const expected = p.repliesPerVisitor;
  const until = Date.now() + 30_000;
  while (visitors.some((v) => v.agentTexts.length < expected) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));

  let lost = 0;
  let orderViolations = 0;
  const latencies: number[] = [];
  visitors.forEach((v, i) => {
    const want = Array.from({ length: expected }, (_, r) => `reply ${r} to ${i}`);
    lost += want.filter((w) => !v.agentTexts.includes(w)).length;
    if (v.agentTexts.join('\n') !== want.filter((w) => v.agentTexts.includes(w)).join('\n')) orderViolations++;
    for (const w of want) {
      const at = v.arrivals.get(w);
      if (at !== undefined) latencies.push(at - sentAt.get(w)!);
    }
  });
  for (const v of visitors) v.close();
  return {
    connections: p.connections,
    repliesSent: sentAt.size,
    repliesReceived: visitors.reduce((s, v) => s + v.agentTexts.length, 0),
    lost,
    duplicates: visitors.reduce((s, v) => s + v.duplicates, 0),
    orderViolations,
    reconnects: cuts.length,
    latencyMs: distribution(latencies),
    connectMs: Math.round(connectMs),
  };
}
