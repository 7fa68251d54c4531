import type { OutboxItem, Via } from '../core/outbox/items.js';
import type { DeliveryOutcome } from '../core/outbox/deliverer.js';
import { keys } from '../core/keys.js';
import { attemptLaneHead, OUTBOX_HEAD, type AttemptContext, type ReadHead } from './attempt-lane-head.js';
import { acquireLaneLeaseReading, LANE_LEASE, SOLE_OWNER_LEASE, type LaneLease } from './lane-lease.js';
import type { OutboxWorkerOptions } from './outbox-worker-options.js';
import { RecordWindowMetric } from './record-window-metric.js';
import { settleOutcome } from './settle-outcome.js';
import { WakeableSleeps } from './wakeable-sleeps.js';

export type { OutboxWorkerOptions } from './outbox-worker-options.js';

/**
 * Delivers the outbox: one loop per lane (in order), each call through the
 * limiter of its destination. Runs on every replica; lanes are leased, so one
 * lane is worked by one replica at a time: a replica that loses a lane's lease
 * starts no further call on it and records nothing for it (lane-lease.ts). A
 * restart finds pending lanes in the store and resumes them.
 */
export class OutboxWorker {
  private readonly active = new Set<string>();
  private readonly again = new Set<string>();
  /** Lanes whose loop ended since the poll now running read the pending lanes (see start). */
  private readonly endedSincePoll = new Set<string>();
  private readonly blockedUntil = new Map<string, number>();
  private readonly failures = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly sleeps = new WakeableSleeps();
  private readonly attemptContext: AttemptContext;

  constructor(private readonly o: OutboxWorkerOptions) {
    const { outbox, limiters, clock, metrics } = o;
    this.attemptContext = {
      outbox, limiters, clock, metrics,
      blockedUntil: this.blockedUntil,
      recordWindow: new RecordWindowMetric(metrics),
      sleep: (ms) => this.sleep(ms),
      isStopping: () => this.stopping,
      soleWriter: !o.shared,
      settleHead: (lane, count, records, retire) => outbox.settleHead(lane, count, records, {
        retire,
        ...(o.shared ? { lease: { key: keys.laneLease(lane), owner: o.instanceId, ttlMs: o.lease?.ttlMs ?? LANE_LEASE.ttlMs } } : {}),
      }),
    };
  }

  start(): void {
    this.o.outbox.onAppend = (lane) => this.kick(lane);
    const poll = async () => {
      try {
        // A lane this process is working is left to its loop, which reads the head until the lane is
        // empty and retired: a kick there would only queue one more pass (lease, head, retire) after it.
        // So is one whose loop ended while the list was read: it was most likely retired after the
        // read; an append since kicks it by itself, and anything else waits for the next poll.
        this.endedSincePoll.clear();
        const pending = await this.o.outbox.pendingLanes();
        for (const lane of pending) if (!this.active.has(lane) && !this.endedSincePoll.has(lane)) this.kick(lane);
      } catch (err) {
        this.o.log.warn({ err: String(err) }, 'outbox poll failed; will retry');
      }
      // poll catches its own failures, so the timer may drop the promise it returns.
      if (!this.stopping) this.timer = setTimeout(() => void poll(), this.o.pollMs ?? 500);
    };
    void poll();
  }

  /** Starts working a lane now, unless this process already is. */
  kick(lane: string): void {
    if (this.stopping) return;
    if (this.active.has(lane)) { this.again.add(lane); return; }
    this.active.add(lane);
    void this.runLane(lane).finally(() => {
      this.active.delete(lane);
      this.endedSincePoll.add(lane);
      if (this.again.delete(lane)) this.kick(lane);
    });
  }

  /**
   * Delivers what is pending for up to `timeoutMs`, then stops: no new call
   * starts, waiting ones are dropped from the limiters (they stay in the
   * store), and calls already on the wire finish and are recorded, so nothing
   * is sent twice after the next start. True when everything was delivered.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let drained = false;
    while (Date.now() < deadline) {
      if (this.active.size === 0 && (await this.o.outbox.pendingLanes()).length === 0) { drained = true; break; }
      await new Promise((r) => setTimeout(r, 50));
    }
    await this.stop();
    return drained;
  }

  /** Stops taking work and waits (up to 15 s) for calls in flight to finish. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.sleeps.wakeAll();
    await this.o.limiters.dropWaiting();
    const deadline = Date.now() + 15_000;
    while (this.active.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  }

  get activeLanes(): number { return this.active.size; }

  private async runLane(lane: string): Promise<void> {
    const { outbox, log } = this.o;
    // Counted before the first read, as before every read (see below).
    let appendsSeen = outbox.appendsTo(lane);
    const taken = await this.lease(lane);
    if (!taken) return;
    const { lease } = taken;
    /** The head read with the lease, for the first pass. */
    let prefetched = taken.head;
    const readAt = performance.now();
    try {
      // The head an attempt handed back (its deliverer made progress without consuming it, as when
      // it opened a new thread before the thread's first post): the next attempt starts from it.
      let kept: ReadHead | undefined;
      while (!this.stopping && lease.held) {
        let read: ReadHead;
        if (kept) {
          read = kept;
          kept = undefined;
        } else if (prefetched) {
          read = { items: prefetched, appendsSeen, readAt };
          prefetched = undefined;
        } else {
          // Counted before the read: an append between the two makes the attempt read the head again.
          appendsSeen = outbox.appendsTo(lane);
          read = { items: await outbox.head(lane, OUTBOX_HEAD), appendsSeen, readAt: performance.now() };
        }
        const { items } = read;
        const head = items[0];
        if (!head) {
          // Retired now (the list was empty at that moment; a later append adds the lane again and
          // starts it), or already retired by an earlier pass: either way, done while the list is
          // empty. Only an append that raced the check keeps this loop going.
          if (await this.retire(lane, lease)) return;
          if ((await outbox.head(lane, 1)).length === 0) return;
          continue;
        }
        const deliverer = this.o.deliverers[head.via];
        if (!deliverer) {
          if (!(await lease.confirm())) return;
          log.error({ lane, via: head.via, op: head.payload.op }, 'no deliverer for this item (is that messenger or channel still configured?); dropping it');
          await outbox.drop(lane, 1);
          continue;
        }
        const { outcome, done, destination, next, retired } = await attemptLaneHead(this.attemptContext, lane, deliverer, read, lease);
        if (outcome.kind !== 'progress' && !lease.held && !retired) {
          // Another replica may have worked the lane since: dropping now could remove an item it has not sent.
          log.warn({ lane, item: head.id, outcome: outcome.kind }, 'outbox lane lease lost during a delivery; its outcome is not recorded, so the next holder may send this item again');
          return;
        }
        await this.settle(lane, head.via, done, outcome, destination);
        // The attempt's write emptied the lane and retired it (on a shared store its lease with it).
        if (retired) return;
        if (next && lease.held) kept = next;
      }
    } catch (err) {
      if (this.stopping) return;
      log.warn({ lane, err: String(err) }, 'outbox lane stopped on an error; it resumes on the next poll');
      await this.sleep(1000);
    } finally {
      // Awaited: the lease names this process, not this pass, so a release that landed after the
      // next pass took the lease again (re-entrant) would delete that pass's lease. Calls go out in
      // order, but a script Redis lost (NOSCRIPT) is sent again later, behind the next take.
      await lease.release();
    }
  }

  /**
   * The lane's lease, or undefined while another replica works it. On a shared store the lane's
   * head is read in the same store call as the lease is taken (`head`), for the first pass.
   */
  private async lease(lane: string): Promise<{ lease: LaneLease; head?: readonly OutboxItem[] } | undefined> {
    if (!this.o.shared) return { lease: SOLE_OWNER_LEASE };
    const key = keys.laneLease(lane);
    const taken = await acquireLaneLeaseReading({
      atomic: this.o.atomic, key, owner: this.o.instanceId, ...this.o.lease,
      onLost: (reason) => this.o.log.warn({ lane, reason }, 'lost the lease of this outbox lane; stopped working it before its next call (the replica holding it now, or the next poll, continues)'),
    }, (ttlMs) => this.o.outbox.leaseAndHead(lane, key, this.o.instanceId, ttlMs, OUTBOX_HEAD));
    return taken && { lease: taken.lease, head: taken.read };
  }

  /**
   * Retires the lane if it is empty; on a shared store its lease goes with it, in the same store
   * call (one round trip instead of two: the loop ends once the lane is retired).
   */
  private async retire(lane: string, lease: LaneLease): Promise<boolean> {
    if (!this.o.shared) return this.o.outbox.retireIfEmpty(lane);
    return lease.releaseWith(() => this.o.outbox.retireReleasing(lane, keys.laneLease(lane), this.o.instanceId));
  }

  /** After an attempt: counts, logs and follow-ups (see {@link settleOutcome}). */
  private settle(lane: string, via: Via, done: readonly OutboxItem[], outcome: DeliveryOutcome, destination?: string): Promise<void> {
    const { log, metrics, onOutcome, clock } = this.o;
    return settleOutcome({ log, metrics, onOutcome, failures: this.failures, sleep: (ms) => this.sleep(ms), now: () => clock.now() }, lane, via, done, outcome, destination);
  }

  private sleep(ms: number): Promise<void> {
    return this.sleeps.sleep(ms);
  }
}
