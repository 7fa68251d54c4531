import type { AtomicPort, Clock } from './ports.js';

/**
 * Mutual exclusion by key, for read-modify-write of one record: across
 * replicas through the store (Redis), or inside this process when the
 * embedded store is in use (exactly one process owns its data directory, so
 * a lock in the store would only add two commits per record change).
 */
export interface Locks {
  run<T>(key: string, fn: () => Promise<T>, opts?: { waitMs?: number }): Promise<T>;
  /**
   * `run`, with the first read the holder needs made as the lock is taken:
   * `fn` gets what `read` answered under the lock. In the store, `read` is
   * issued right after each try's `SET NX`, in the same round trip (see
   * {@link withLockReading}).
   */
  runReading<R, T>(key: string, read: () => Promise<R>, fn: (value: R) => Promise<T>, opts?: { waitMs?: number }): Promise<T>;
}

/** Locks in the store (`SET NX PX`), shared by every replica. */
export function storeLocks(ports: LockPorts): Locks {
  return {
    run: (key, fn, opts) => withLock(ports, key, fn, opts),
    runReading: (key, read, fn, opts) => withLockReading(ports, key, read, fn, opts),
  };
}

/**
 * Locks in this process: waiters on a key run one after another in arrival
 * order; one that waited longer than `waitMs` (10 s) gives up with
 * {@link LockTimeoutError}, as with the store's locks.
 */
export function processLocks(clock: Pick<Clock, 'sleep'>): Locks {
  const tails = new Map<string, Promise<void>>();
  const locks: Locks = {
    // Nothing to save in this process: the read follows the turn.
    runReading: (key, read, fn, opts) => locks.run(key, async () => fn(await read()), opts),
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
  return locks;
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
  return withLockReading(ports, key, async () => undefined, fn, opts);
}

/**
 * {@link withLock}, with `read` issued right after each try's `SET NX`,
 * without waiting for its answer, and `fn` given the answer of the try that
 * won. Sound because the store applies calls in call order (Redis: one
 * connection, FIFO; embedded: at the call): a read that follows a winning
 * `SET NX` sees everything the previous holder wrote before its release. The
 * reads of tries that lost are dropped. On Redis the lock and the read then
 * cost one round trip, not two.
 */
export async function withLockReading<R, T>(
  ports: LockPorts,
  key: string,
  read: () => Promise<R>,
  fn: (value: R) => Promise<T>,
  opts: { ttlMs?: number; waitMs?: number; token?: string } = {},
): Promise<T> {
  const { atomic, clock } = ports;
  const ttlMs = opts.ttlMs ?? 5000;
  const deadline = clock.now() + (opts.waitMs ?? 10_000);
  const token = opts.token ?? ports.newId();
  let delay = 2;
  let value: { ok: true; value: R } | { ok: false; error: unknown };
  for (;;) {
    const taking = atomic.setIfAbsent(key, token, ttlMs);
    // Settled either way, so a read that fails beside a lost try leaves no unhandled rejection.
    const reading = read().then((v) => ({ ok: true as const, value: v }), (error: unknown) => ({ ok: false as const, error }));
    const won = await taking;
    value = await reading;
    if (won) break;
    if (clock.now() > deadline) throw new LockTimeoutError(key);
    await clock.sleep(delay);
    delay = Math.min(delay * 2, 50);
  }
  try {
    if (!value.ok) throw value.error;
    return await fn(value.value);
  } finally {
    // Sent, not awaited: the holder's writes were awaited inside `fn`, and store calls take effect
    // in call order (Redis: one connection, FIFO; embedded: at the call), so a taker in this
    // process, whose SET NX is issued later, finds the key gone as if we had waited, and other
    // replicas see it gone when they would have anyway. The caller saves a round trip, and a
    // release nested in another goes out in the same write as the outer one. A failed release
    // (store away) leaves the key to its TTL, as a crash does; the work itself is done. The token
    // is this holding's own, so a release that lands late (Redis lost the script: NOSCRIPT, and it
    // is sent again) deletes nothing but this holding; the next taker retries 2 ms later meanwhile.
    void atomic.compareAndDelete(key, token).catch(() => false);
  }
}

/** A lock could not be had in time: a fault, answered 503 so the platform retries. */
export class LockTimeoutError extends Error {
  readonly code = 'lock_timeout';
  constructor(key: string) {
    super(`could not lock ${key} in time; another replica holds it`);
  }
}
