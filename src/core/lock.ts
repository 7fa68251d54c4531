import type { AtomicPort, Clock } from './ports.js';

/**
 * Mutual exclusion by key, for read-modify-write of one record: across
 * replicas through the store (Redis), or inside this process when the
 * embedded store is in use (exactly one process owns its data directory, so
 * a lock in the store would only add two commits per record change).
 */
export interface Locks {
  run<T>(key: string, fn: () => Promise<T>, opts?: { waitMs?: number }): Promise<T>;
}

/** Locks in the store (`SET NX PX`), shared by every replica. */
export function storeLocks(ports: LockPorts): Locks {
  return { run: (key, fn, opts) => withLock(ports, key, fn, opts) };
}

/**
 * Locks in this process: waiters on a key run one after another in arrival
 * order; one that waited longer than `waitMs` (10 s) gives up with
 * {@link LockTimeoutError}, as with the store's locks.
 */
export function processLocks(clock: Pick<Clock, 'sleep'>): Locks {
  const tails = new Map<string, Promise<void>>();
  return {
    async run(key, fn, opts = {}) {
      const before = tails.get(key);
      let release!: () => void;
      const mine = new Promise<void>((r) => { release = r; });
      const tail = before ? before.then(() => mine) : mine;
      tails.set(key, tail);
      // Forgotten once everyone before and this holder are done (not merely when this one gave up waiting).
      void tail.then(() => { if (tails.get(key) === tail) tails.delete(key); });
      try {
        if (before) {
          const turn = await Promise.race([before.then(() => true), clock.sleep(opts.waitMs ?? 10_000).then(() => false)]);
          if (!turn) throw new LockTimeoutError(key);
        }
        return await fn();
      } finally {
        release();
      }
    },
  };
}

/** What taking a lock needs: the atomic port, the clock it waits on, and unique ids for its tokens. */
export interface LockPorts {
  atomic: AtomicPort;
  clock: Clock;
  /** Must be unique across replicas: the token is how a holder releases only its own lock. */
  newId: () => string;
}

/**
 * A short mutual-exclusion lock over the atomic port (`SET NX PX`, released by
 * compare-and-delete), so read-modify-write of one record is safe across
 * replicas. The TTL bounds how long a crashed holder can block others.
 */
export async function withLock<T>(
  ports: LockPorts,
  key: string,
  fn: () => Promise<T>,
  opts: { ttlMs?: number; waitMs?: number; token?: string } = {},
): Promise<T> {
  const { atomic, clock } = ports;
  const ttlMs = opts.ttlMs ?? 5000;
  const deadline = clock.now() + (opts.waitMs ?? 10_000);
  const token = opts.token ?? ports.newId();
  let delay = 2;
  while (!(await atomic.setIfAbsent(key, token, ttlMs))) {
    if (clock.now() > deadline) throw new LockTimeoutError(key);
    await clock.sleep(delay);
    delay = Math.min(delay * 2, 50);
  }
  try {
    return await fn();
  } finally {
    await atomic.compareAndDelete(key, token);
  }
}

/** A lock could not be had in time: a fault, answered 503 so the platform retries. */
export class LockTimeoutError extends Error {
  readonly code = 'lock_timeout';
  constructor(key: string) {
    super(`could not lock ${key} in time; another replica holds it`);
  }
}
