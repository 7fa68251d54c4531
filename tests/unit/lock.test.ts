import { describe, expect, it } from 'vitest';
import { LockTimeoutError, withLock, type LockPorts } from '../../src/core/lock.js';
import { MemoryAtomic } from './memory-atomic.js';

/**
 * The record lock takes its time, its waits and its tokens from the injected
 * ports only, so a fake clock decides when it gives up and nothing really waits.
 */

/** A clock that only moves when someone sleeps on it; the waits are recorded. */
function virtualTime() {
  let now = Date.UTC(2026, 2, 1);
  const waits: number[] = [];
  return { waits, now: () => now, sleep: async (ms: number) => { waits.push(ms); now += ms; } };
}

function ports(): LockPorts & { atomic: MemoryAtomic; waits: number[] } {
  const time = virtualTime();
  let n = 0;
  return { atomic: new MemoryAtomic(time.now), clock: time, newId: () => `token-${++n}`, waits: time.waits };
}

describe('withLock', () => {
  it('holds the key under a token from the injected newId while the work runs, and frees it after', async () => {
    const p = ports();
    const seen = await withLock(p, 'lock:conv:c1', async () => p.atomic.values.get('lock:conv:c1')?.value);
    expect(seen).toBe('token-1');
    expect(p.atomic.values.has('lock:conv:c1')).toBe(false);
    expect(p.waits).toEqual([]);
  });

  it('waits on the injected clock, backing off 2, 4 … 50 ms, until the holder lets go', async () => {
    const p = ports();
    await p.atomic.setIfAbsent('lock:seat:s1', 'other-replica');
    let tries = 0;
    const realSetIfAbsent = p.atomic.setIfAbsent.bind(p.atomic);
    p.atomic.setIfAbsent = async (key, value, ttlMs) => {
      if (++tries === 7) await p.atomic.compareAndDelete(key, 'other-replica');
      return realSetIfAbsent(key, value, ttlMs);
    };
    expect(await withLock(p, 'lock:seat:s1', async () => 'done')).toBe('done');
    expect(p.waits).toEqual([2, 4, 8, 16, 32, 50]);
  });

  it('gives up with lock_timeout once the wait passes its deadline on the injected clock', async () => {
    const p = ports();
    await p.atomic.setIfAbsent('lock:conv:c2', 'stuck-holder');
    const failure = await withLock(p, 'lock:conv:c2', async () => 'never', { waitMs: 1000 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(LockTimeoutError);
    expect((failure as LockTimeoutError).code).toBe('lock_timeout');
    expect(p.waits.reduce((a, b) => a + b, 0)).toBeGreaterThan(1000);
    expect(p.waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1000 + 50);
  });
});
