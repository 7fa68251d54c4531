import type { AtomicPort } from './ports.js';

/**
 * A short mutual-exclusion lock over the atomic port (`SET NX PX`, released by
 * compare-and-delete), so read-modify-write of one record is safe across
 * replicas. The TTL bounds how long a crashed holder can block others.
 */
export async function withLock<T>(
  atomic: AtomicPort,
  key: string,
  fn: () => Promise<T>,
  opts: { ttlMs?: number; waitMs?: number; token?: string } = {},
): Promise<T> {
  const ttlMs = opts.ttlMs ?? 5000;
  const deadline = Date.now() + (opts.waitMs ?? 10_000);
  const token = opts.token ?? `${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  let delay = 2;
  while (!(await atomic.setIfAbsent(key, token, ttlMs))) {
    if (Date.now() > deadline) throw new LockTimeoutError(key);
    await new Promise((r) => setTimeout(r, delay));
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
