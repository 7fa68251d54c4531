import { describe, expect, it } from 'vitest';
import { LockTimeoutError, processLocks, withLock, withLockReading, type LockPorts } from '../../src/core/lock.js';
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
    // The release is sent, not awaited: a taker whose SET NX is issued after it finds the key free.
    expect(await p.atomic.setIfAbsent('lock:conv:c1', 'next-holder')).toBe(true);
    expect(p.waits).toEqual([]);
  });

  it('sends the release before it resolves, without waiting for its answer, and survives a release that fails', async () => {
    const p = ports();
    const released: string[] = [];
    p.atomic.compareAndDelete = (key, expected) => { released.push(`${key}=${expected}`); return new Promise(() => {}); };
    expect(await withLock(p, 'lock:conv:c3', async () => 'done')).toBe('done');
    expect(released).toEqual(['lock:conv:c3=token-1']);
    p.atomic.compareAndDelete = async () => { throw new Error('connection lost'); };
    expect(await withLock(p, 'lock:conv:c4', async () => 'done too')).toBe('done too');
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

describe('withLockReading', () => {
  it('issues the read right after each SET NX, without waiting for it, and gives the holder the read of the try that won', async () => {
    const p = ports();
    await p.atomic.setIfAbsent('lock:conv:r1', 'other-replica');
    const calls: string[] = [];
    const realSetIfAbsent = p.atomic.setIfAbsent.bind(p.atomic);
    let tries = 0;
    p.atomic.setIfAbsent = (key, value, ttlMs) => {
      calls.push('SET NX');
      // The other holder lets go before the third try.
      if (++tries === 3) p.atomic.values.delete(key);
      return realSetIfAbsent(key, value, ttlMs);
    };
    let version = 0;
    const read = async () => { calls.push('read'); return ++version; };
    const seen = await withLockReading(p, 'lock:conv:r1', read, async (v) => ({ v, holder: p.atomic.values.get('lock:conv:r1')?.value }));
    expect(seen).toEqual({ v: 3, holder: 'token-1' });
    expect(calls).toEqual(['SET NX', 'read', 'SET NX', 'read', 'SET NX', 'read']);
    expect(p.waits).toEqual([2, 4]);
  });

  it('releases the lock and rejects with the read\'s error when the read of the winning try fails', async () => {
    const p = ports();
    const failure = await withLockReading(p, 'lock:conv:r2', async () => { throw new Error('read failed'); }, async () => 'never').catch((e: unknown) => e);
    expect((failure as Error).message).toBe('read failed');
    expect(await p.atomic.setIfAbsent('lock:conv:r2', 'next-holder')).toBe(true);
  });
});

describe('processLocks (the embedded store has one owner process)', () => {
  /** A sleep that never ends unless the test ends it: waits are decided by the test, not by time. */
  function manualSleep() {
    const pending: (() => void)[] = [];
    return { sleep: (ms: number) => new Promise<void>((r) => { void ms; pending.push(r); }), elapse: () => pending.splice(0).forEach((r) => r()) };
  }

  it('runs the holders of one key one after another, in arrival order, and other keys beside them', async () => {
    const locks = processLocks(manualSleep());
    const log: string[] = [];
    let openFirst!: () => void;
    const first = locks.run('lock:conv:c1', async () => { log.push('a start'); await new Promise<void>((r) => { openFirst = r; }); log.push('a end'); });
    const second = locks.run('lock:conv:c1', async () => { log.push('b'); });
    const other = locks.run('lock:conv:c2', async () => { log.push('other'); });
    await other;
    expect(log).toEqual(['a start', 'other']);
    openFirst();
    await Promise.all([first, second]);
    expect(log).toEqual(['a start', 'other', 'a end', 'b']);
  });

  it('gives up with LockTimeoutError after the wait, and the next holder still waits for the one that holds it', async () => {
    const time = manualSleep();
    const locks = processLocks(time);
    const log: string[] = [];
    let openFirst!: () => void;
    const first = locks.run('k', async () => { await new Promise<void>((r) => { openFirst = r; }); log.push('first'); });
    const impatient = locks.run('k', async () => { log.push('impatient ran'); });
    await Promise.resolve();
    time.elapse();
    await expect(impatient).rejects.toBeInstanceOf(LockTimeoutError);
    const third = locks.run('k', async () => { log.push('third'); });
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual([]);
    openFirst();
    await Promise.all([first, third]);
    expect(log).toEqual(['first', 'third']);
  });

  it('frees the key when the holder throws', async () => {
    const locks = processLocks(manualSleep());
    await expect(locks.run('k', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await locks.run('k', async () => 'next')).toBe('next');
  });
});
