import { describe, expect, it, vi } from 'vitest';
import { LeaderLease } from '../../src/runtime/leader-lease.js';
import { createLogger } from '../../src/runtime/logger.js';
import { MemoryAtomic } from './memory-atomic.js';

const log = createLogger('silent');

describe('LeaderLease', () => {
  it('lets one replica hold it, renews it, and hands it over on release', async () => {
    let now = 0;
    const atomic = new MemoryAtomic(() => now);
    const a = new LeaderLease({ atomic, shared: true, key: 'lease:x', owner: 'A', ttlMs: 10_000 });
    const b = new LeaderLease({ atomic, shared: true, key: async () => 'lease:x', owner: 'B', ttlMs: 10_000 });
    expect(await a.hold()).toBe(true);
    expect(await b.hold()).toBe(false);
    now = 8000;
    expect(await a.hold()).toBe(true);
    now = 15_000;
    // Renewed at 8 s: still A's.
    expect(await b.hold()).toBe(false);
    await a.release();
    expect(a.isLeader).toBe(false);
    expect(await b.hold()).toBe(true);
    expect(b.isLeader).toBe(true);
  });

  it("gives a dead holder's lease to a standby once it expired, and the old holder learns it lost", async () => {
    let now = 0;
    const atomic = new MemoryAtomic(() => now);
    const a = new LeaderLease({ atomic, shared: true, key: 'k', owner: 'A', ttlMs: 10_000 });
    const b = new LeaderLease({ atomic, shared: true, key: 'k', owner: 'B', ttlMs: 10_000 });
    expect(await a.hold()).toBe(true);
    now = 10_000;
    expect(await b.hold()).toBe(true);
    expect(await a.hold()).toBe(false);
    expect(a.isLeader).toBe(false);
  });

  it('always leads without a shared store, and writes nothing', async () => {
    const atomic = new MemoryAtomic();
    const lease = new LeaderLease({ atomic, shared: false, key: 'k', owner: 'A', ttlMs: 1000 });
    expect(await lease.hold()).toBe(true);
    await lease.release();
    expect(atomic.values.size).toBe(0);
  });

  it('keeps the lease by itself: one leader connects, the standby takes over after a clean stop', async () => {
    const atomic = new MemoryAtomic();
    const events: string[] = [];
    const keeper = (owner: string) => {
      // Renewed every 50–250 ms: a 2 s lease stays A's through any stall of a busy CI machine.
      const lease = new LeaderLease({ atomic, shared: true, key: 'gw', owner, ttlMs: 2000 });
      lease.keep({ renewMs: 50, pollMs: 30, log, name: 'test gateway', onAcquire: async () => { events.push(`${owner} up`); }, onLose: async () => { events.push(`${owner} down`); } });
      return lease;
    };
    const a = keeper('A');
    await vi.waitFor(() => expect(events).toEqual(['A up']));
    const b = keeper('B');
    await new Promise((r) => setTimeout(r, 300));
    expect(events).toEqual(['A up']);
    await a.stop();
    await vi.waitFor(() => expect(events).toEqual(['A up', 'A down', 'B up']));
    await b.stop();
    expect(atomic.values.size).toBe(0);
  });

  it('steps down when the store stays unreachable for longer than the lease can be trusted', async () => {
    const atomic = new MemoryAtomic();
    const events: string[] = [];
    const lease = new LeaderLease({ atomic, shared: true, key: 'gw', owner: 'A', ttlMs: 200 });
    lease.keep({ renewMs: 50, pollMs: 30, log, name: 'test gateway', onAcquire: async () => { events.push('up'); }, onLose: async () => { events.push('down'); } });
    await vi.waitFor(() => expect(events).toEqual(['up']));
    // Unreachable means every call fails: a renewal and, once stepped down, the attempts to take it again.
    vi.spyOn(atomic, 'compareAndSet').mockRejectedValue(new Error('store down'));
    vi.spyOn(atomic, 'setIfAbsent').mockRejectedValue(new Error('store down'));
    await vi.waitFor(() => expect(events).toEqual(['up', 'down']), { timeout: 2000 });
    expect(lease.isLeader).toBe(false);
    // It stays down while the store stays away (the lease's key has expired by now).
    await new Promise((r) => setTimeout(r, 400));
    expect(events).toEqual(['up', 'down']);
    await lease.stop();
  });
});
