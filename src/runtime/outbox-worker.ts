import type { OutboxItem, Via } from '../core/outbox/items.js';
import type { DeliveryOutcome } from '../core/outbox/deliverer.js';
import { keys } from '../core/keys.js';
import { attemptLaneHead, OUTBOX_HEAD, type AttemptContext, type ReadHead } from './attempt-lane-head.js';
import { acquireLaneLease, SOLE_OWNER_LEASE, type LaneLease } from './lane-lease.js';
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
    };
  }

  start(): void {
    this.o.outbox.onAppend = (lane) => this.kick(lane);
    const poll = async () => {
      try {
        // A lane this process is working is left to its loop, which reads the head until the lane is
        // empty and retired: a kick there would only queue one more pass (lease, head, retire) after it.
        for (const lane of await this.o.outbox.pendingLanes()) if (!this.active.has(lane)) this.kick(lane);
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
    const lease = await this.lease(lane);
    if (!lease) return;
    try {
      // When the last attempt consumed everything it saw, the lane is most likely empty: retiring it
      // straight away (an atomic check of the list) saves reading an empty head.
      let emptied = false;
      // The head an attempt handed back (its deliverer made progress without consuming it, as when
      // it opened a new thread before the thread's first post): the next attempt starts from it.
      let kept: ReadHead | undefined;
      while (!this.stopping && lease.held) {
        // Counted before the read: an append between the two makes the attempt read the head again.
        const read: ReadHead = kept ?? { appendsSeen: outbox.appendsTo(lane), items: emptied ? [] : await outbox.head(lane, OUTBOX_HEAD) };
        kept = undefined;
        const { items, appendsSeen } = read;
        const head = items[0];
        if (!head) {
          // Retired now (the list was empty at that moment; a later append adds the lane again and
          // starts it), or already retired by an earlier pass: either way, done while the list is
          // empty. Only an append that raced the check keeps this loop going.
          if (await outbox.retireIfEmpty(lane)) return;
          emptied = false;
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
        const { outcome, done, destination, seen, next } = await attemptLaneHead(this.attemptContext, lane, deliverer, read, lease);
        if (outcome.kind !== 'progress' && !lease.held) {
          // Another replica may have worked the lane since: dropping now could remove an item it has not sent.
          log.warn({ lane, item: head.id, outcome: outcome.kind }, 'outbox lane lease lost during a delivery; its outcome is not recorded, so the next holder may send this item again');
          return;
        }
        await this.settle(lane, head.via, done, outcome, destination);
        if (next && lease.held) kept = next;
        // Everything the attempt saw was consumed and this process appended nothing since. Where other
        // processes write too (Redis) they may have appended meanwhile: the retirement finds that out.
        emptied = seen !== undefined && seen < OUTBOX_HEAD && done.length === seen && outbox.appendsTo(lane) === appendsSeen;
      }
    } catch (err) {
      if (this.stopping) return;
      log.warn({ lane, err: String(err) }, 'outbox lane stopped on an error; it resumes on the next poll');
      await this.sleep(1000);
    } finally {
      await lease.release();
    }
  }

  /** The lane's lease, or undefined while another replica works it. */
  private async lease(lane: string): Promise<LaneLease | undefined> {
    if (!this.o.shared) return SOLE_OWNER_LEASE;
    return acquireLaneLease({
      atomic: this.o.atomic, key: keys.laneLease(lane), owner: this.o.instanceId, ...this.o.lease,
      onLost: (reason) => this.o.log.warn({ lane, reason }, 'lost the lease of this outbox lane; stopped working it before its next call (the replica holding it now, or the next poll, continues)'),
    });
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
