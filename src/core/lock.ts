import type { AtomicPort, Clock } from './ports.js';

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
