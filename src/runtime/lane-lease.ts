import type { AtomicPort } from '../core/ports.js';

/**
 * Timing of outbox lane leases. A replica killed with `kill -9` stops renewing,
 * so its lanes are free at most `ttlMs` after its last renewal; `renewMs`
 * leaves two more renewals inside the TTL before a slow one costs the lease.
 */
export const LANE_LEASE = { ttlMs: 5_000, renewMs: 1_500 } as const;

/** The right of one process to work one outbox lane. */
export interface LaneLease {
  /** False from the first failed renewal on: the lane must not start another call. */
  readonly held: boolean;
  /**
   * Renews now. True only when the store confirms this process holds the lease
   * without a break, so recording an outcome (dropping items from the lane) is
   * safe: nobody else can have worked the lane meanwhile.
   */
  confirm(): Promise<boolean>;
  /** Stops renewing and deletes the lease if it is still this process's. */
  release(): Promise<void>;
  /**
   * Runs `step`, a write that deletes the lease along with other work when it answers true
   * (LeasePort.removeMemberIfListEmptyReleasing); then the lease is released, with nothing
   * left to delete. A renewal that fails meanwhile, because `step` deleted the lease, is no
   * loss; when `step` answers false the lease is still held, or lost if a renewal failed.
   */
  releaseWith(step: () => Promise<boolean>): Promise<boolean>;
  /**
   * Runs `step`, the holder's write after an attempt, made only while the store names this
   * process (Outbox.settleHead): 'held' renewed the lease, 'retired' deleted it with the lane
   * (then it is released, with nothing left to delete, as by releaseWith), 'lost' found it
   * gone, and the lease is given up as when a renewal finds it gone.
   */
  settleWith(step: () => Promise<LeaseSettled>): Promise<LeaseSettled>;
}

/** What the holder's write after an attempt found (LaneLease.settleWith). */
export type LeaseSettled = 'lost' | 'held' | 'retired';

export interface LaneLeaseOptions {
  atomic: Pick<AtomicPort, 'setIfAbsent' | 'compareAndSet' | 'compareAndDelete'>;
  key: string;
  /** Unique per process. */
  owner: string;
  ttlMs?: number;
  renewMs?: number;
  /** Told once, when a renewal fails or finds another owner (the lease is gone). */
  onLost: (reason: string) => void;
}

/** For a process that owns its store alone (the embedded store): every lane is its own. */
export const SOLE_OWNER_LEASE: LaneLease = { held: true, confirm: async () => true, release: async () => {}, releaseWith: (step) => step(), settleWith: (step) => step() };

/**
 * Takes the lease of a lane (`SET NX PX`), or returns undefined when another
 * process holds it, then renews it by compare-and-set until released.
 *
 * Taking is re-entrant: a process works a lane in one loop at a time
 * (OutboxWorker.active), so a lease that already names this process was left
 * by one of its own loops that could not delete it (the store was unreachable).
 *
 * A renewal that fails, by an error as much as by a compare-and-set that finds
 * another value, ends the lease at once: fail closed, as two replicas working
 * one lane would deliver its head twice and drop the item after it.
 */
export async function acquireLaneLease(o: LaneLeaseOptions): Promise<LaneLease | undefined> {
  const { atomic, key, owner } = o;
  const ttlMs = o.ttlMs ?? LANE_LEASE.ttlMs;
  const won = (await atomic.setIfAbsent(key, owner, ttlMs).catch(() => false))
    || (await atomic.compareAndSet(key, owner, owner, ttlMs).catch(() => false));
  return won ? holdLease(o) : undefined;
}

/**
 * {@link acquireLaneLease} with the first read of the work made in the same
 * store call (`take`, e.g. LeasePort.takeLeaseAndRange: one round trip, the
 * read made only when the lease is won). `take` gets the TTL and answers
 * undefined while another process holds the lease; an error counts as not
 * taken, as in acquireLaneLease.
 */
export async function acquireLaneLeaseReading<T>(o: LaneLeaseOptions, take: (ttlMs: number) => Promise<T | undefined>): Promise<{ lease: LaneLease; read: T } | undefined> {
  const read = await take(o.ttlMs ?? LANE_LEASE.ttlMs).catch(() => undefined);
  return read === undefined ? undefined : { lease: holdLease(o), read };
}

/** A lease just taken: renewed by compare-and-set until released (see acquireLaneLease). */
function holdLease(o: LaneLeaseOptions): LaneLease {
  const { atomic, key, owner } = o;
  const ttlMs = o.ttlMs ?? LANE_LEASE.ttlMs;
  let held = true;
  let released = false;
  /** Deleted by the caller's own write (`releaseWith`): nothing left to delete. */
  let deletedWithWrite = false;
  /** While `releaseWith`'s step runs, a failed renewal may be its own doing: kept until it answers. */
  let releasing = false;
  let lostWhileReleasing: string | undefined;
  const lose = (reason: string) => {
    if (!held || released) return;
    if (releasing) { lostWhileReleasing ??= reason; return; }
    held = false;
    clearInterval(timer);
    o.onLost(reason);
  };
  const renew = async (): Promise<boolean> => {
    if (!held) return false;
    try {
      if (!(await atomic.compareAndSet(key, owner, owner, ttlMs))) lose('the lease expired or another replica holds it now');
    } catch (err) {
      lose(`renewing it failed: ${String(err)}`);
    }
    return held;
  };
  const timer = setInterval(() => void renew(), o.renewMs ?? LANE_LEASE.renewMs);
  timer.unref();

  const lease: LaneLease = {
    get held() { return held; },
    confirm: renew,
    async release() {
      released = true;
      held = false;
      clearInterval(timer);
      if (deletedWithWrite) return;
      // Only if it still names this process: after a renewal error it may, and deleting it lets the next holder start now.
      await atomic.compareAndDelete(key, owner).catch(() => false);
    },
    async releaseWith(step) {
      return (await settleRunning(async () => ((await step()) ? 'retired' : 'held'))) === 'retired';
    },
    // Given up already (a renewal failed, even if the store still names this process): there was
    // a break, so nothing is recorded, as `confirm` answers false then.
    settleWith: (step) => (held ? settleRunning(step) : Promise.resolve('lost')),
  };
  /** Runs the holder's write `step` (see settleWith and releaseWith) and acts on what it found. */
  async function settleRunning(step: () => Promise<LeaseSettled>): Promise<LeaseSettled> {
    releasing = true;
    let settled: LeaseSettled;
    try {
      settled = await step();
    } finally {
      releasing = false;
    }
    if (settled === 'retired') {
      deletedWithWrite = true;
      await lease.release();
      return settled;
    }
    if (settled === 'lost') lose('the lease expired or another replica holds it now');
    else if (lostWhileReleasing !== undefined) lose(lostWhileReleasing);
    return settled;
  }
  return lease;
}
