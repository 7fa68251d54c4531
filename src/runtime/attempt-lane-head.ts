import type { OutboxItem } from '../core/outbox/items.js';
import type { Deliverer, DeliveryOutcome } from '../core/outbox/deliverer.js';
import type { LaneLease } from './lane-lease.js';
import type { OutboxWorkerOptions } from './outbox-worker-options.js';
import type { RecordWindowMetric } from './record-window-metric.js';

/** How many items of a lane are read at once (and may coalesce into one call). */
export const OUTBOX_HEAD = 50;

/** What an attempt needs from its worker. */
export interface AttemptContext extends Pick<OutboxWorkerOptions, 'outbox' | 'limiters' | 'clock' | 'metrics'> {
  /** Per destination, until when a destination-wide 429 pauses it. */
  blockedUntil: Map<string, number>;
  recordWindow: RecordWindowMetric;
  sleep(ms: number): Promise<void>;
  isStopping(): boolean;
  /** This process is the store's only writer (the embedded store): its own appends are all there are. */
  soleWriter: boolean;
}

/** The head of a lane as the worker read it, and how many appends to the lane this process had reported then. */
export interface ReadHead {
  items: readonly OutboxItem[];
  appendsSeen: number;
}

/** What an attempt did. */
export interface AttemptResult {
  outcome: DeliveryOutcome;
  /** The items it removed from the lane. */
  done: readonly OutboxItem[];
  destination?: string;
  /** How many items the deliverer was handed (absent: it was not called). */
  seen?: number;
  /**
   * The deliverer made progress without consuming anything: only the lane's lease holder removes
   * items, so what it was handed is still the lane's head, and the next attempt may start from it
   * instead of reading it again. Where this process is the only writer, only when that was `read`
   * itself (its count of appends stays right); elsewhere the attempt reads the head again in its
   * slot anyway.
   */
  next?: ReadHead;
}

/**
 * One call for the head of a lane, inside its destination's slot. A finished
 * item is removed (with the deliverer's records) as the very next step after
 * the platform's answer, just after the slot is given back: a crash can repeat an item only inside that window,
 * which is measured (`outbox_record_window_ms_*` in /metrics).
 */
export async function attemptLaneHead(
  ctx: AttemptContext,
  lane: string,
  deliverer: Deliverer,
  read: ReadHead,
  lease: LaneLease,
): Promise<AttemptResult> {
  const head = read.items[0]!;
  const destination = await deliverer.destination(head);
  const nothing = { outcome: { kind: 'progress' } as const, done: [] };
  // The destination's slot holds the call only: the next lane's call to it may start while this
  // one's outcome is written (this lane's next attempt waits for that write all the same).
  const called = await ctx.limiters.schedule(destination, async (): Promise<{ outcome: DeliveryOutcome; fresh: readonly OutboxItem[] } | undefined> => {
    // A 429 pauses the whole destination: the wait happens inside its slot.
    const wait = (ctx.blockedUntil.get(destination) ?? 0) - ctx.clock.now();
    if (wait > 0) await ctx.sleep(wait);
    if (ctx.isStopping() || !lease.held) return undefined;
    // Read again at the moment of sending, so everything that queued up meanwhile coalesces; no
    // need when nothing was appended since (known only where this process is the only writer).
    const unchanged = ctx.soleWriter && ctx.outbox.appendsTo(lane) === read.appendsSeen;
    const fresh = unchanged ? read.items : await ctx.outbox.head(lane, OUTBOX_HEAD);
    if (!fresh.length || fresh[0]!.id !== head.id) return undefined;
    let outcome: DeliveryOutcome;
    try {
      outcome = await deliverer.deliver(fresh);
    } catch (err) {
      outcome = { kind: 'retry', reason: `deliverer threw: ${String(err)}` };
    }
    if (outcome.kind === 'retry' && outcome.destinationWide) {
      ctx.blockedUntil.set(destination, ctx.clock.now() + (outcome.afterMs ?? 1000));
      ctx.metrics.inc('outbox_rate_limited_total', { destination: destination.split(':').slice(0, 2).join(':') });
    }
    return { outcome, fresh };
  });
  if (!called) return nothing;
  const { outcome, fresh } = called;
  if (outcome.kind !== 'delivered' && outcome.kind !== 'failed') {
    const kept = outcome.kind === 'progress' && (fresh === read.items || !ctx.soleWriter);
    return { outcome, done: [], seen: fresh.length, ...(kept ? { next: { items: fresh, appendsSeen: read.appendsSeen } } : {}) };
  }
  const answeredAt = performance.now();
  // Another replica may have worked the lane since: removing now could drop an item it has not sent.
  if (!(await lease.confirm())) return { outcome, done: [] };
  await ctx.outbox.dropWith(lane, outcome.consumed, outcome.kind === 'delivered' ? outcome.records : undefined);
  ctx.recordWindow.record(performance.now() - answeredAt);
  return { outcome, done: fresh.slice(0, outcome.consumed), destination, seen: fresh.length };
}
