import { distribution, type Distribution } from '../support/percentiles.js';
import { WidgetVisitor } from './widget-visitor.js';

export interface WebchatLoadParams {
  /** Widget sockets open at once, one visitor each. */
  connections: number;
  /** Agent replies each visitor gets while the sockets are open (measured). */
  repliesPerVisitor: number;
  /** Replies per second, sent open loop (round robin over the visitors), whatever became of the ones before. */
  ratePerSecond: number;
  /** Sockets cut (terminated without a close frame) while replies flow; each visitor reconnects and resumes from its last id. */
  reconnects: number;
  /** Loopback source addresses the visitors spread over (127.0.0.2 …), as visitors come from many IPs and the desk limits per IP. */
  addresses: number;
}

/** How the load reaches the desk's agents: the target answers visitor `i` with `text` as an agent would. */
export interface LoadTarget {
  url: string;
  origin: string;
  /**
   * Called once every visitor wrote their first message (`firstTexts[i]`):
   * prepares the replies (finds the threads, claims the conversations) and
   * returns how to send one. Not measured.
   */
  prepare(visitors: readonly WidgetVisitor[], firstTexts: readonly string[]): Promise<(i: number, text: string) => Promise<void>>;
  /** Sockets open and identified, nobody wrote yet: the bench reads the desk's memory here. */
  onSocketsOpen?(): Promise<void>;
}

export interface WebchatLoadResult {
  connections: number;
  repliesSent: number;
  repliesReceived: number;
  lost: number;
  duplicates: number;
  orderViolations: number;
  reconnects: number;
  /** Reply sent (just before the agent's event left) → the visitor's socket has the message, ms. */
  /** Reply event sent → the visitor's open socket, for replies whose socket stayed open meanwhile (the target's figure). */
  latencyMs: Distribution;
  /** The same for replies that reached the visitor by the resume after their socket was cut (reconnect included). */
  resumedLatencyMs: Distribution;
  /** How late the open loop sent replies behind its schedule (the load generator keeping up), ms. */
  sendLateMs: Distribution;
  /** Visitors connected and identified, ms. */
  connectMs: number;
  /** Every visitor's first message acknowledged, ms. */
  firstMessagesMs: number;
}

async function inBatches<T>(items: readonly T[], size: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map((it, j) => fn(it, i + j)));
}

/**
 * Opens `connections` widget sockets, has each visitor write once (which
 * opens its conversation), lets the target prepare, then sends every visitor
 * `repliesPerVisitor` agent replies open loop at `ratePerSecond` while
 * cutting `reconnects` sockets at random, and checks that every visitor got
 * every reply once and in order.
 */
export async function webchatLoad(t: LoadTarget, p: WebchatLoadParams): Promise<WebchatLoadResult> {
  const visitors = Array.from({ length: p.connections }, (_, i) => new WidgetVisitor(t.url, t.origin, `127.0.0.${2 + (i % p.addresses)}`));
  const t0 = performance.now();
  await inBatches(visitors, 50, (v) => v.connect());
  const connectMs = performance.now() - t0;
  await t.onSocketsOpen?.();
  const firstTexts = visitors.map((_, i) => `load visitor ${String(i).padStart(5, '0')}`);
  const t1 = performance.now();
  await inBatches(visitors, 50, (v, i) => v.write(firstTexts[i]!));
  const firstMessagesMs = performance.now() - t1;
  const reply = await t.prepare(visitors, firstTexts);
  const seenBefore = visitors.map((v) => v.agentTexts.length);

  const total = p.connections * p.repliesPerVisitor;
  const sentAt = new Map<string, number>();
  /** The visitor's socket when each reply was sent: a reply that arrives on a later one came by a resume after a cut. */
  const sentOnSocket = new Map<string, number>();
  const late: number[] = [];
  // Distinct moments, so exactly `reconnects` sockets are cut (two equal draws used to make one cut fewer).
  const cutAt = new Set<number>();
  while (cutAt.size < Math.min(p.reconnects, total)) cutAt.add(Math.floor(Math.random() * total));
  const cuts: Promise<void>[] = [];
  const sends: Promise<void>[] = [];
  const start = performance.now();
  for (let n = 0; n < total; n++) {
    const due = start + (n * 1000) / p.ratePerSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const i = n % p.connections;
    const text = `reply ${Math.floor(n / p.connections)} to ${i}`;
    const now = performance.now();
    late.push(Math.max(0, now - due));
    sentAt.set(text, now);
    sentOnSocket.set(text, visitors[i]!.socketNumber);
    sends.push(reply(i, text));
    if (cutAt.has(n)) cuts.push(visitors[i]!.cut());
  }
  await Promise.all([...sends, ...cuts]);
  const expected = p.repliesPerVisitor;
  const until = Date.now() + 30_000;
  while (visitors.some((v, i) => v.agentTexts.length - seenBefore[i]! < expected) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));

  let lost = 0;
  let orderViolations = 0;
  const latencies: number[] = [];
  const resumed: number[] = [];
  visitors.forEach((v, i) => {
    const want = Array.from({ length: expected }, (_, r) => `reply ${r} to ${i}`);
    const got = v.agentTexts.slice(seenBefore[i]);
    lost += want.filter((w) => !got.includes(w)).length;
    if (got.join('\n') !== want.filter((w) => got.includes(w)).join('\n')) orderViolations++;
    for (const w of want) {
      const at = v.arrivals.get(w);
      if (at === undefined) continue;
      // Live: the socket that was open when the reply was sent got it. Otherwise the socket was cut
      // meanwhile, and the reply came with the resume on the next one (reconnect, hello, history read).
      (v.arrivedOn.get(w) === sentOnSocket.get(w) ? latencies : resumed).push(at - sentAt.get(w)!);
    }
  });
  for (const v of visitors) v.close();
  return {
    connections: p.connections,
    repliesSent: sentAt.size,
    repliesReceived: visitors.reduce((s, v, i) => s + v.agentTexts.length - seenBefore[i]!, 0),
    lost,
    duplicates: visitors.reduce((s, v) => s + v.duplicates, 0),
    orderViolations,
    reconnects: cuts.length,
    latencyMs: distribution(latencies),
    resumedLatencyMs: distribution(resumed),
    sendLateMs: distribution(late),
    connectMs: Math.round(connectMs),
    firstMessagesMs: Math.round(firstMessagesMs),
  };
}
