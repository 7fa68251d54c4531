import { keys } from '../core/keys.js';
import type { Clock } from '../core/ports.js';
import { fireTimer, type FireContext, type TimerStore } from './fire-timer.js';
import { LANE_LEASE } from './lane-lease.js';
import type { Logger } from './logger.js';
import { OutageLog } from './outage-log.js';
import type { TimerHandlers } from './timer-handler.js';
import { waves } from './timer-waves.js';
import { WakeableSleeps } from './wakeable-sleeps.js';

export type { TimerHandler, TimerHandlers } from './timer-handler.js';

/** What a {@link TimerScheduler} works with. */
export interface TimerSchedulerOptions {
  store: TimerStore;
  clock: Clock;
  handlers: TimerHandlers;
  log: Logger;
  /** Unique per process: owner of timer leases. */
  instanceId: string;
  /** True when other replicas share the store (Redis): timers are then fired under a lease. */
  shared: boolean;
  /** The longest wait, in clock time, between two looks at the due list (default 1 s). */
  pollMs?: number;
  /** At most this many due timers are read per look (default 100); the rest follow at once. */
  batchSize?: number;
  /** Timer lease timing (default LANE_LEASE); tests shorten it. */
  lease?: { ttlMs: number; renewMs: number };
  /** Waits after a handler throws: the first, doubling up to the longest (default 1 s to 60 s). */
  retry?: { firstDelayMs: number; maxDelayMs: number };
}

const DEFAULT_RETRY = { firstDelayMs: 1000, maxDelayMs: 60_000 };

/** Timers fired at once within a pass. */
const FIRE_CONCURRENCY = 16;

/**
 * Fires the store's timers (core/timers.ts) when they fall due on the
 * injected Clock: one loop that reads the due list, fires each timer
 * (fire-timer.ts: exactly once across replicas and restarts), then sleeps
 * until the next timer is due or `pollMs` has passed, whichever is first.
 * {@link notify} wakes it early for a timer this process just scheduled.
 *
 * A handler that throws, or whose effects the store refuses, leaves its
 * timer in place; this process tries it again after 1 s, 2 s, 4 s … up to
 * 60 s. A store that cannot be reached ends the pass; the next poll retries. A timer of a kind nobody handles is
 * dropped (logged once per kind). Runs on every replica.
 */
export class TimerScheduler {
  private readonly sleeps: WakeableSleeps;
  private readonly backoff = new Map<string, { attempts: number; retryAt: number }>();
  private readonly reportedKinds = new Set<string>();
  private readonly fire: FireContext;
  private readonly outage: OutageLog;
  private passes: Promise<unknown> = Promise.resolve();
  private loop: Promise<void> | undefined;
  private stopping = false;
  /** Clock time the loop's current sleep ends (Infinity while it is not sleeping). */
  private wakeAt = Number.POSITIVE_INFINITY;
  private wakeRequested = false;

  constructor(private readonly o: TimerSchedulerOptions) {
    this.sleeps = new WakeableSleeps((ms) => o.clock.sleep(ms));
    // One line when the store goes away and one when it is back, not one per poll.
    this.outage = new OutageLog(o.log, {
      down: 'firing timers failed on a store error; due timers stay and are tried at every poll',
      up: 'firing timers works again',
    });
    this.fire = {
      store: o.store, handlers: o.handlers, log: o.log, instanceId: o.instanceId, shared: o.shared,
      lease: o.lease ?? LANE_LEASE,
      unknownKind: (kind) => {
        if (this.reportedKinds.has(kind)) return;
        this.reportedKinds.add(kind);
        o.log.error({ kind }, 'no handler for this kind of timer (was the feature that scheduled it removed?); dropping its timers');
      },
    };
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** A timer due at `dueAt` was just scheduled here: wake before the next poll if it is due sooner. */
  notify(dueAt: number): void {
    if (dueAt >= this.wakeAt) return;
    // Remembered too when the loop is not asleep yet: its current pass may have read the due list before this timer.
    this.wakeRequested = true;
    this.sleeps.wakeAll();
  }

  /**
   * Fires every timer due now (one pass; passes never overlap). Resolves with
   * how many fired (effects written). The loop calls it; so may tests.
   */
  fireDue(): Promise<number> {
    const pass = this.passes.then(() => this.pass());
    this.passes = pass.catch(() => undefined);
    return pass;
  }

  /** Stops the loop and waits for a firing in flight to finish (its batch is written or not, never half). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.sleeps.wakeAll();
    await this.loop;
    await this.passes;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let next: number | undefined;
      try {
        await this.fireDue();
        next = await this.nextDueAt();
        this.outage.succeeded();
      } catch (err) {
        this.outage.failed(err);
      }
      if (this.stopping) break;
      if (this.wakeRequested) {
        this.wakeRequested = false;
        continue;
      }
      const now = this.o.clock.now();
      const pollMs = this.o.pollMs ?? 1000;
      const waitMs = next !== undefined && next > now ? Math.min(next - now, pollMs) : pollMs;
      this.wakeAt = now + waitMs;
      await this.sleeps.sleep(waitMs);
      this.wakeAt = Number.POSITIVE_INFINITY;
      this.wakeRequested = false;
    }
  }

  private async pass(): Promise<number> {
    let fired = 0;
    const batchSize = this.o.batchSize ?? 100;
    const seen = new Set<string>();
    // Of those seen, the ones still in the due list (left, failed, waiting out a backoff): fired and
    // dropped timers are gone from it, so only these push the next read further down the list.
    // (Counting every seen one would make a backlog of n due timers cost n² rows.)
    const remaining = new Set<string>();
    for (;;) {
      if (this.stopping) return fired;
      const now = this.o.clock.now();
      const due = (await this.o.store.zRangeByScore(keys.timers(), Number.NEGATIVE_INFINITY, now, batchSize + remaining.size))
        .filter(({ member }) => !seen.has(member));
      if (due.length === 0) {
        // A timer in backoff that is no longer due was cancelled or moved: forget its failures.
        for (const id of this.backoff.keys()) if (!seen.has(id)) this.backoff.delete(id);
        return fired;
      }
      const runnable: { member: string; score: number }[] = [];
      for (const entry of due) {
        seen.add(entry.member);
        const waiting = this.backoff.get(entry.member);
        if (waiting && waiting.retryAt > now) remaining.add(entry.member);
        else runnable.push(entry);
      }
      // Several at once, so their writes share commits (one fsync for many on the embedded store),
      // but never two of one subject (`sla-first:c1` and `inactive:c1`): they read the same conversation.
      for (const wave of waves(runnable, FIRE_CONCURRENCY)) {
        if (this.stopping) return fired;
        await Promise.all(wave.map(async ({ member: id, score }) => {
          const result = await fireTimer(this.fire, id, score);
          if (result.kind === 'failed') this.failed(id, result.error);
          else this.backoff.delete(id);
          if (result.kind === 'fired') fired += 1;
          if (result.kind === 'failed' || result.kind === 'left') remaining.add(id);
        }));
      }
    }
  }

  /** When the loop should look again: the next timer due after now, or the end of the first backoff, if any. */
  private async nextDueAt(): Promise<number | undefined> {
    const now = this.o.clock.now();
    // Timers due already (waiting out a backoff, or leased elsewhere) are no reason to wake before the poll.
    const [first] = await this.o.store.zRangeByScore(keys.timers(), now + 1, Number.POSITIVE_INFINITY, 1);
    const retries = [...this.backoff.values()].map((b) => b.retryAt).filter((at) => at > now);
    const candidates = [...(first ? [first.score] : []), ...retries];
    return candidates.length > 0 ? Math.min(...candidates) : undefined;
  }

  private failed(id: string, error: unknown): void {
    const retry = this.o.retry ?? DEFAULT_RETRY;
    const attempts = (this.backoff.get(id)?.attempts ?? 0) + 1;
    const delay = Math.min(retry.firstDelayMs * 2 ** (attempts - 1), retry.maxDelayMs);
    this.backoff.set(id, { attempts, retryAt: this.o.clock.now() + delay });
    this.o.log.warn({ timer: id, attempts, retryInMs: delay, err: String(error) }, 'timer handler failed; the timer stays and is tried again');
  }
}
