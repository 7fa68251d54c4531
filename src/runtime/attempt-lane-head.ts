import type { OutboxItem } from '../core/outbox/items.js';
import type { Deliverer, DeliveryOutcome } from '../core/outbox/deliverer.js';
import type { LaneLease, LeaseSettled } from './lane-lease.js';
import type { WriteOp } from '../core/ports.js';
import type { OutboxWorkerOptions } from './outbox-worker-options.js';
import type { RecordWindowMetric } from './record-window-metric.js';

/** How many items of a lane are read at once (and may coalesce into one call). */
export const OUTBOX_HEAD = 50;

/**
 * Where other processes append too, a head read this recently is not read again in the slot: an
 * item appended since goes in the next call instead of coalescing into this one.
 */
export const FRESH_HEAD_MS = 5;

/** What an attempt needs from its worker. */
export interface AttemptContext extends Pick<OutboxWorkerOptions, 'outbox' | 'limiters' | 'clock' | 'metrics'> {
  /** Outbox.settleHead for this process: with the lane's lease where the store is shared. */
  settleHead(lane: string, count: number, records: readonly WriteOp[], retire: boolean): Promise<LeaseSettled>;
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
  /** performance.now() when it was read from the store (absent: handed on, see AttemptResult.next). */
  readAt?: number;
}

/** What an attempt did. */
export interface AttemptResult {
  outcome: DeliveryOutcome;
  /** The items it removed from the lane. */
  done: readonly OutboxItem[];
  destination?: string;
  /**
   * The deliverer made progress without consuming anything: only the lane's lease holder removes
   * items, so what it was handed is still the lane's head, and the next attempt may start from it
   * instead of reading it again. Where this process is the only writer, only when that was `read`
   * itself (its count of appends stays right); elsewhere the attempt reads the head again in its
   * slot anyway.
   */
  next?: ReadHead;
  /** The attempt emptied the lane and retired it (its lease given back with it): the lane's loop ends. */
  retired?: boolean;
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
    // need when nothing was appended since (known only where this process is the only writer),
    // nor when the head was read a moment ago (the slot was free).
    const unchanged = ctx.soleWriter ? ctx.outbox.appendsTo(lane) === read.appendsSeen : read.readAt !== undefined && performance.now() - read.readAt < FRESH_HEAD_MS;
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
  const { fresh } = called;
  let { outcome } = called;
  // What the call made is recorded here, with the slot given back, before this lane's next attempt.
  if (outcome.kind === 'progress' && outcome.afterCall) {
    try {
      await outcome.afterCall();
      outcome = { kind: 'progress' };
    } catch (err) {
      outcome = { kind: 'retry', reason: `after the call: ${String(err)}` };
    }
  }
  if (outcome.kind !== 'delivered' && outcome.kind !== 'failed') {
    const kept = outcome.kind === 'progress' && (fresh === read.items || !ctx.soleWriter);
    return { outcome, done: [], ...(kept ? { next: { items: fresh, appendsSeen: read.appendsSeen } } : {}) };
  }
  const answeredAt = performance.now();
  // Everything read was consumed: the lane is most likely empty now, and is retired in the same
  // write if it is (the store checks). Only while the lease still names this process: another
  // replica may have worked the lane since, and removing now could drop an item it has not sent.
  const tookAll = outcome.consumed === fresh.length && fresh.length < OUTBOX_HEAD;
  const records = outcome.kind === 'delivered' ? outcome.records ?? [] : [];
  const settled = await lease.settleWith(() => ctx.settleHead(lane, outcome.consumed, records, tookAll));
  if (settled === 'lost') return { outcome, done: [] };
  ctx.recordWindow.record(performance.now() - answeredAt);
  return { outcome, done: fresh.slice(0, outcome.consumed), destination, retired: settled === 'retired' };
}
