import type { Budget } from '../core/outbox/budgets.js';
import { checkGcra } from '../core/outbox/gcra.js';
import type { SpacingPort, SpacingReservation } from '../core/ports.js';
import type { OutageLog } from './outage-log.js';

/** Thrown to a job that waited for an unreadable limiter state when the limiters stop: nothing was sent. */
export class LimiterStoppedError extends Error {
  readonly code = 'limiter_stopped';
  constructor() {
    super('the rate limiter stopped while its state was unreadable; nothing was sent and the item stays in the outbox');
  }
}

type BurstBudget = Budget & { burst: number };

/** A call's place in its destination's schedule, from `turn`, for `record`. */
export interface GcraTicket {
  tatBefore: number;
  reservedAt: number;
}

/**
 * GCRA state of the destinations that allow a burst: the theoretical arrival
 * time (TAT) of the next call. A call may go up to `(burst − 1) × interval`
 * ahead of it. A call checks and reserves its place in one atomic step at the
 * moment it may go (in this process's memory, or with the store's one
 * script); a call that may not go yet reserves nothing, sleeps for the time
 * it was told and checks again. So calls that overlap (a budget with
 * maxConcurrent > 1: posts to different threads of one channel) still go out
 * spaced as the platform counts, and no place is handed out ahead of time.
 * On Redis the schedule lives in the store, so replicas and restarts keep
 * one; with no `state` (the embedded store: one process) it lives in this
 * process, and a restart within a burst window may send one burst early,
 * which the platform answers with a 429 that is honoured.
 *
 * When a call ends, the schedule moves as if it had gone at that end
 * (`record`): the platform surely had the call by then, so however long the
 * reservation's round trip and the request took, the next ones keep the
 * spacing. Places reserved after it (overlapping calls) move with it, by
 * the same amount; with one call at a time, the spacing counts from the end
 * of the previous call, as before calls could overlap.
 *
 * It fails closed. A state that cannot be read or reserved in counts as a
 * spent budget: the call waits a full burst interval and tries again, as
 * sending on a guess could be a fresh burst into a bucket the platform
 * already counts as full (429s). This process also keeps the latest TAT it
 * computed and never goes below it (a lost `record` is covered by it here).
 */
export class GcraGate {
  private readonly floor = new Map<string, number>();
  private readonly sleepers = new Set<() => void>();
  private stopped = false;

  /** `outage` for reservations (sends wait while it is down), `recordOutage` for end-of-call records. */
  constructor(private readonly o: { state?: SpacingPort | undefined; outage: OutageLog; recordOutage: OutageLog }) {}

  /** Waits until a call to `destination` may go, and reserves its place in the schedule. */
  async turn(destination: string, budget: BurstBudget): Promise<GcraTicket> {
    const key = keyOf(destination);
    for (;;) {
      if (this.stopped) throw new LimiterStoppedError();
      const reserved = await this.reserve(key, destination, budget);
      if (reserved === undefined) await this.pause(budget.burst * budget.minTimeMs);
      else if (!reserved.go) await this.pause(reserved.waitMs);
      else return { tatBefore: reserved.tatBefore, reservedAt: reserved.at };
    }
  }

  /**
   * Counts a call that finished now: its reservation assumed it went at
   * `reservedAt`; by now it surely had. The schedule moves by the difference
   * this makes to the call's own place (nothing when the call's place was
   * set by the schedule, not by the moment it was reserved).
   */
  async record(destination: string, budget: BurstBudget, ticket: GcraTicket): Promise<void> {
    const shift = Math.max(ticket.tatBefore, Date.now()) - Math.max(ticket.tatBefore, ticket.reservedAt);
    if (!(shift > 0)) return;
    const key = keyOf(destination);
    const floor = this.floor.get(key);
    if (floor !== undefined) this.floor.set(key, floor + shift);
    const state = this.o.state;
    if (!state) return;
    try {
      await state.shiftSpacing(key, shift, ttlOf(budget));
      this.o.recordOutage.succeeded({ destination });
    } catch (err) {
      // The reservation is stored already; only the call's own lateness is missing, and this
      // process's floor keeps it for every reservation it makes.
      this.o.recordOutage.failed(err, { destination });
    }
  }

  /** Ends every wait for a readable or writable state (shutdown). */
  stop(): void {
    this.stopped = true;
    for (const wake of this.sleepers) wake();
  }

  private async reserve(key: string, destination: string, budget: BurstBudget): Promise<(SpacingReservation & { at: number }) | undefined> {
    const floor = this.floor.get(key) ?? 0;
    const now = Date.now();
    const state = this.o.state;
    if (!state) {
      // One step of this process, with no await inside: atomic among the calls that overlap here.
      const decision = checkGcra(floor, now, budget.minTimeMs, budget.burst);
      if (!decision.go) return { ...decision, at: now };
      this.floor.set(key, decision.next);
      return { go: true, tatBefore: floor, at: now };
    }
    try {
      const reserved = await state.reserveSpacing(key, { now, intervalMs: budget.minTimeMs, burst: budget.burst, floor, ttlMs: ttlOf(budget) });
      this.o.outage.succeeded({ destination });
      if (reserved.go) this.raiseFloor(key, Math.max(reserved.tatBefore, now) + budget.minTimeMs);
      return { ...reserved, at: now };
    } catch (err) {
      this.o.outage.failed(err, { destination });
      return undefined;
    }
  }

  private raiseFloor(key: string, tat: number): void {
    this.floor.set(key, Math.max(this.floor.get(key) ?? 0, tat));
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

/** Past this, the key is gone and reads as a full budget, which is then right. */
function ttlOf(budget: BurstBudget): number {
  return budget.burst * budget.minTimeMs + 60_000;
}

function keyOf(destination: string): string {
  return `gcra:${destination}`;
}
