import { BUDGETS } from '../support/modules.js';
import { Writable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { keys } from '../../src/core/keys.js';
import { Outbox } from '../../src/core/outbox/outbox.js';
import type { Deliverer } from '../../src/core/outbox/deliverer.js';
import type { OutboxItem } from '../../src/core/outbox/items.js';
import type { AtomicPort, StorePort } from '../../src/core/ports.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { Limiters } from '../../src/runtime/limiters.js';
import { createLogger } from '../../src/runtime/logger.js';
import { Metrics } from '../../src/runtime/metrics.js';
import { OutboxWorker } from '../../src/runtime/outbox-worker.js';
import { acquireLaneLease } from '../../src/runtime/lane-lease.js';
import { MemoryAtomic } from './memory-atomic.js';
import { embeddedHarness, redisHarness, type StoreHarness } from '../store/store-harnesses.js';

const LANE = 'api:lease-test';
const ITEMS = 8;
const CALL_MS = 300;
/** Short lease timing, so a renewal happens during every call. */
const LEASE = { ttlMs: 1000, renewMs: 100 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * The store's atomic operations, made to fail on demand as if the store went away; `leases` is
 * the store with its lease operations (with which the outbox takes a lane and retires it)
 * failing along with them.
 */
function breakable(store: StorePort): { port: AtomicPort; leases: StorePort; broken: { on: boolean } } {
  const broken = { on: false };
  const guard = <A extends unknown[], R>(f: (...a: A) => Promise<R>) => async (...a: A): Promise<R> => {
    if (broken.on) throw new Error('connection lost');
    return f(...a);
  };
  const leases = Object.assign(Object.create(store) as StorePort, {
    takeLeaseAndRange: guard(store.takeLeaseAndRange.bind(store)),
    removeMemberIfListEmptyReleasing: guard(store.removeMemberIfListEmptyReleasing.bind(store)),
    settleListHead: guard(store.settleListHead.bind(store)),
  });
  return {
    broken,
    leases,
    port: {
      setIfAbsent: guard(store.setIfAbsent.bind(store)),
      getString: guard(store.getString.bind(store)),
      setString: guard(store.setString.bind(store)),
      compareAndDelete: guard(store.compareAndDelete.bind(store)),
      compareAndSet: guard(store.compareAndSet.bind(store)),
      deleteString: guard(store.deleteString.bind(store)),
    },
  };
}

/**
 * SPEC §10: "A replica that loses a lane's lease stops working that lane at
 * once." A lost lease (another replica holds it, or renewing it fails) stops
 * the lane before its next call, and the call that was on the wire is not
 * recorded: dropping it from the lane could remove an item the new holder has
 * not sent. On both stores.
 */
describe.each<[string, () => StoreHarness]>([
  ['embedded', embeddedHarness],
  ['redis', redisHarness],
])('an outbox lane whose lease is lost (%s store)', (_name, harnessOf) => {
  const harness = harnessOf();
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => { await stop?.(); stop = undefined; });
  afterAll(() => harness.cleanup());

  async function start() {
    const store: StorePort = await harness.open();
    // The lease key is per lane; each test starts from an empty lane and no lease.
    await store.dropHead(keys.outboxLane(LANE), 1000);
    await store.deleteString(keys.laneLease(LANE));
    const logs: string[] = [];
    const log = createLogger('debug', new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } }));
    let n = 0;
    const { port, leases, broken } = breakable(store);
    const outbox = new Outbox(leases, systemClock, () => `item${String(++n).padStart(3, '0')}`);
    const calls: string[] = [];
    const recorded: string[] = [];
    const deliverer: Deliverer = {
      destination: async () => 'api:callback:lease-test',
      async deliver(items) {
        calls.push(items[0]!.id);
        await sleep(CALL_MS);
        return { kind: 'delivered', consumed: 1 };
      },
    };
    const limiters = new Limiters({ prefix: 'lease-test:', log, budgets: BUDGETS });
    const worker = new OutboxWorker({
      outbox, atomic: port, clock: systemClock, limiters, deliverers: { api: deliverer }, log, metrics: new Metrics(),
      onOutcome: async (items: readonly OutboxItem[]) => { recorded.push(...items.map((i) => i.id)); },
      instanceId: 'replica-a', shared: true, pollMs: 100, lease: LEASE,
    });
    const ids: string[] = [];
    for (let i = 0; i < ITEMS; i++) ids.push((await outbox.append(LANE, 'api', { op: 'thread.notice', convId: 'c1', text: `notice ${i}` })).id);
    stop = async () => { broken.on = false; await worker.stop(); await limiters.close(); await store.close(); };
    const headId = async () => (await outbox.head(LANE, 1))[0]?.id;
    const warnings = () => logs.map((l) => JSON.parse(l) as { level: number; msg: string; reason?: string }).filter((l) => l.level === 40);
    return { store, outbox, worker, calls, recorded, broken, ids, headId, warnings };
  }

  it('stops before its next call when another replica holds the lease, and records nothing for the call on the wire', async () => {
    const t = await start();
    t.worker.start();
    await until(() => t.calls.length === 2, 5000, 'the second call');
    // As if this replica's lease had expired and another one took the lane.
    await t.store.setString(keys.laneLease(LANE), 'replica-b', 10_000);
    await sleep(CALL_MS + 5 * LEASE.renewMs + 500);

    expect(t.calls, 'no call after the lease was lost').toEqual(t.ids.slice(0, 2));
    expect(t.recorded, 'the call that was on the wire is not recorded').toEqual(t.ids.slice(0, 1));
    expect(await t.headId(), 'nor dropped from the lane').toBe(t.ids[1]);
    expect(await t.store.getString(keys.laneLease(LANE)), "the other replica's lease is left alone").toBe('replica-b');
    const lost = t.warnings().filter((w) => w.msg.startsWith('lost the lease of this outbox lane'));
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toContain('another replica holds it');
    expect(t.warnings().some((w) => w.msg.startsWith('outbox lane lease lost during a delivery'))).toBe(true);
  });

  it('stops before its next call when renewing fails, and resumes once the store answers, losing nothing', async () => {
    const t = await start();
    t.worker.start();
    await until(() => t.calls.length === 2, 5000, 'the second call');
    t.broken.on = true;
    await sleep(CALL_MS + 5 * LEASE.renewMs + 500);

    expect(t.calls, 'no call after renewing failed').toEqual(t.ids.slice(0, 2));
    expect(t.recorded).toEqual(t.ids.slice(0, 1));
    expect(await t.headId()).toBe(t.ids[1]);
    const lost = t.warnings().filter((w) => w.msg.startsWith('lost the lease of this outbox lane'));
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toContain('renewing it failed');

    // The store is back: the lane is taken again and finished; the unrecorded item goes again (a repeat, never a loss).
    t.broken.on = false;
    await until(async () => (await t.headId()) === undefined && t.recorded.length === t.ids.length, 10_000, 'the lane to drain');
    expect(t.recorded).toEqual(t.ids);
    expect(t.calls).toEqual([t.ids[0], t.ids[1], ...t.ids.slice(1)]);
  });
});

/**
 * Issue 18: a lane retired on a shared store gives its lease back in the same store call
 * (releaseWith). A renewal that fails because that call deleted the lease is no loss; one that
 * fails while the call did not retire the lane is.
 */
describe('releaseWith and settleWith', () => {
  async function held(atomic: MemoryAtomic, lost: string[]) {
    const lease = await acquireLaneLease({ atomic, key: 'lane-lease:x', owner: 'replica-a', ttlMs: 1000, renewMs: 5, onLost: (r) => lost.push(r) });
    if (!lease) throw new Error('the lease was not taken');
    return lease;
  }

  it('ends the lease without a loss or a second delete when the step deleted it, renewals failing meanwhile', async () => {
    const atomic = new MemoryAtomic();
    const lost: string[] = [];
    const lease = await held(atomic, lost);
    let deletes = 0;
    const compareAndDelete = atomic.compareAndDelete.bind(atomic);
    atomic.compareAndDelete = async (k, v) => { deletes += 1; return compareAndDelete(k, v); };
    const retired = await lease.releaseWith(async () => {
      atomic.values.delete('lane-lease:x');
      await sleep(40);
      return true;
    });
    await lease.release();
    await sleep(20);
    expect(retired).toBe(true);
    expect(lease.held).toBe(false);
    expect(lost).toEqual([]);
    expect(deletes).toBe(0);
  });

  it('settleWith records nothing once a renewal has failed, even while the store still names this process', async () => {
    const atomic = new MemoryAtomic();
    const lost: string[] = [];
    const lease = await held(atomic, lost);
    const compareAndSet = atomic.compareAndSet.bind(atomic);
    atomic.compareAndSet = async () => { throw new Error('connection lost'); };
    await until(() => !lease.held, 2000, 'the failed renewal to give the lease up');
    atomic.compareAndSet = compareAndSet;
    expect(lease.held).toBe(false);
    expect(await atomic.getString('lane-lease:x'), 'the key still names this process').toBe('replica-a');
    let ran = false;
    expect(await lease.settleWith(async () => { ran = true; return 'held'; })).toBe('lost');
    expect(ran, 'the write after the attempt is not made: there was a break').toBe(false);
    expect(lost).toHaveLength(1);
  });

  it('settleWith gives the lease up when the store answers lost, and ends it when the write retired the lane', async () => {
    const atomic = new MemoryAtomic();
    const lost: string[] = [];
    const lease = await held(atomic, lost);
    expect(await lease.settleWith(async () => 'held')).toBe('held');
    expect(lease.held).toBe(true);
    expect(await lease.settleWith(async () => 'lost')).toBe('lost');
    expect(lease.held).toBe(false);
    expect(lost).toEqual(['the lease expired or another replica holds it now']);

    const other = await held(atomic, lost);
    let deletes = 0;
    atomic.compareAndDelete = async () => { deletes += 1; return true; };
    expect(await other.settleWith(async () => { atomic.values.delete('lane-lease:x'); return 'retired'; })).toBe('retired');
    expect(other.held).toBe(false);
    expect(deletes, 'deleted by the write itself: no second delete').toBe(0);
    expect(lost).toHaveLength(1);
  });

  it('reports a loss that happened meanwhile when the step did not end the lease', async () => {
    const atomic = new MemoryAtomic();
    const lost: string[] = [];
    const lease = await held(atomic, lost);
    const retired = await lease.releaseWith(async () => {
      await atomic.setString('lane-lease:x', 'replica-b', 1000);
      await sleep(40);
      return false;
    });
    expect(retired).toBe(false);
    expect(lease.held).toBe(false);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toContain('another replica holds it');
  });
});
