import type { Budget } from '../core/outbox/budgets.js';
import type { AtomicPort } from '../core/ports.js';
import type { OutageLog } from './outage-log.js';

/** Thrown to a job that waited for an unreadable limiter state when the limiters stop: nothing was sent. */
export class LimiterStoppedError extends Error {
  readonly code = 'limiter_stopped';
  constructor() {
    super('the rate limiter stopped while its state was unreadable; nothing was sent and the item stays in the outbox');
  }
}

type BurstBudget = Budget & { burst: number };

/**
 * GCRA state of the destinations that allow a burst: the theoretical arrival
 * time (TAT) of the next call. A call may go up to `(burst − 1) × interval`
 * ahead of it. On Redis it lives in the store, so replicas (serialised per
 * destination by bottleneck's shared maxConcurrent 1) and restarts keep one
 * schedule; with no `state` (the embedded store: one process) it lives in
 * this process, and a restart within a burst window may send one burst early,
 * which the platform answers with a 429 that is honoured.
 *
 * It fails closed. A state that cannot be read counts as a spent budget: the
 * call waits a full burst interval and reads again, as sending on a guess
 * could be a fresh burst into a bucket the platform already counts as full
 * (429s). A state that cannot be written is retried until the store takes
 * it, inside the destination's slot, so no replica reads the older value as
 * a budget to spend. This process also keeps the latest TAT it computed and
 * never goes below it.
 */
export class GcraGate {
  private readonly floor = new Map<string, number>();
  private readonly sleepers = new Set<() => void>();
  private stopped = false;

  constructor(private readonly o: { state?: Pick<AtomicPort, 'getString' | 'setString'> | undefined; outage: OutageLog }) {}

  /** Waits until a call to `destination` may go; returns the TAT it was granted against, for `record`. */
  async turn(destination: string, budget: BurstBudget): Promise<number> {
    const key = keyOf(destination);
    for (;;) {
      if (this.stopped) throw new LimiterStoppedError();
      const tat = await this.read(key, destination);
      if (tat === undefined) {
        await this.pause(budget.burst * budget.minTimeMs);
        continue;
      }
      const wait = tat - (budget.burst - 1) * budget.minTimeMs - Date.now();
      if (wait > 0) await this.pause(wait);
      return tat;
    }
  }

  /**
   * Counts a call that finished now: the platform surely had it by then, so
   * however long the request took on the way, its arrivals keep the spacing.
   */
  async record(destination: string, budget: BurstBudget, tat: number): Promise<void> {
    const key = keyOf(destination);
    const next = Math.max(tat, Date.now()) + budget.minTimeMs;
    this.floor.set(key, Math.max(this.floor.get(key) ?? 0, next));
    const state = this.o.state;
    if (!state) return;
    // Past this, the key is gone and reads as a full budget, which is then right.
    const ttlMs = budget.burst * budget.minTimeMs + 60_000;
    for (;;) {
      try {
        await state.setString(key, String(next), ttlMs);
        this.o.outage.succeeded({ destination });
        return;
      } catch (err) {
        this.o.outage.failed(err, { destination });
      }
      // Stopping: this process's floor still holds the value until it exits.
      if (this.stopped) return;
      await this.pause(budget.burst * budget.minTimeMs);
    }
  }

  /** Ends every wait for a readable or writable state (shutdown). */
  stop(): void {
    this.stopped = true;
    for (const wake of this.sleepers) wake();
  }

  private async read(key: string, destination: string): Promise<number | undefined> {
    const floor = this.floor.get(key) ?? 0;
    const state = this.o.state;
    if (!state) return floor;
    let raw: string | undefined;
    try {
      raw = await state.getString(key);
    } catch (err) {
      this.o.outage.failed(err, { destination });
      return undefined;
    }
    const stored = Number(raw ?? 0);
    if (!Number.isFinite(stored)) {
      this.o.outage.failed(new Error(`unreadable value '${raw}' in ${key}`), { destination });
      return undefined;
    }
    this.o.outage.succeeded({ destination });
    return Math.max(stored, floor);
  }

  private pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => { clearTimeout(t); this.sleepers.delete(wake); resolve(); };
      const t = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}

function keyOf(destination: string): string {
  return `gcra:${destination}`;
}
