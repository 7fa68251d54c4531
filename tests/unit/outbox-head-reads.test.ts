import { BUDGETS } from '../support/modules.js';
import { keys } from '../../src/core/keys.js';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Outbox } from '../../src/core/outbox/outbox.js';
import type { Deliverer } from '../../src/core/outbox/deliverer.js';
import type { OutboxItem } from '../../src/core/outbox/items.js';
import type { StorePort } from '../../src/core/ports.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { Limiters } from '../../src/runtime/limiters.js';
import { createLogger } from '../../src/runtime/logger.js';
import { Metrics } from '../../src/runtime/metrics.js';
import { OutboxWorker } from '../../src/runtime/outbox-worker.js';
import { embeddedHarness, redisHarness } from '../store/store-harnesses.js';

const LANE = 'c:head-reads';

/**
 * Issue 18: where this process is the store's only writer (the embedded
 * store), the worker knows when its attempt emptied a lane, so a lone message
 * costs one read of the lane's head, not three (head, empty head, the check
 * after retiring). A message appended after the lane was retired is still
 * delivered.
 */
/** The store, with every call passed through and its list (head) reads counted. */
function countingRanges(real: StorePort): { counted: StorePort; reads: { ranges: number; calls: string[] } } {
  const reads = { ranges: 0, calls: [] as string[] };
  const counted = new Proxy(real, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        // A read of a lane's head, alone or with its lease (one store call on a shared store).
        if (prop === 'range' || prop === 'takeLeaseAndRange') reads.ranges += 1;
        reads.calls.push(String(prop));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { counted, reads };
}

/** An outbox worker on `atomic` whose only deliverer is `deliverer` (for api lanes). */
const workerOn = (outbox: Outbox, atomic: StorePort, deliverer: Deliverer, instanceId: string, o: { shared: boolean; pollMs?: number }) => new OutboxWorker({
  outbox, atomic, clock: systemClock, limiters: new Limiters({ prefix: `test:${instanceId}:`, log: createLogger('silent'), budgets: BUDGETS }),
  deliverers: { api: deliverer }, log: createLogger('silent'), metrics: new Metrics(), instanceId, shared: o.shared, onOutcome: async () => {},
  ...(o.pollMs === undefined ? {} : { pollMs: o.pollMs }),
});

/** Polls `done` every 5 ms for up to 10 s (the assertions after it say what did not happen). */
const until = async (done: () => boolean) => {
  const deadline = Date.now() + 10_000;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
};

describe('outbox lane reads on the embedded store', () => {
  const harness = embeddedHarness();
  let store: StorePort | undefined;
  afterAll(async () => { await store?.close(); await harness.cleanup(); });

  it('reads a lone message\'s lane once, retires the lane, and still delivers what comes after', async () => {
    store = await harness.open();
    const real = store;
    const { counted, reads } = countingRanges(real);
    let n = 0;
    const outbox = new Outbox(counted, systemClock, () => `hr${++n}`);
    const delivered: string[] = [];
    const deliverer: Deliverer = {
      destination: async () => 'api:callback:head-reads',
      async deliver(items: readonly OutboxItem[]) {
        delivered.push(items[0]!.id);
        return { kind: 'delivered', consumed: 1 };
      },
    };
    const worker = workerOn(outbox, counted, deliverer, 'w1', { shared: false });
    worker.start();

    const first = await outbox.append(LANE, 'api', { op: 'customer.send', convId: 'c1', text: 'one', author: 's1' });
    await until(() => delivered.length === 1 && worker.activeLanes === 0);
    expect(delivered).toEqual([first.id]);
    expect(reads.ranges, 'one head read for one message').toBe(1);
    expect(await outbox.pendingLanes()).toEqual([]);

    const second = await outbox.append(LANE, 'api', { op: 'customer.send', convId: 'c1', text: 'two', author: 's1' });
    await until(() => delivered.length === 2 && worker.activeLanes === 0);
    await worker.stop();
    expect(delivered).toEqual([first.id, second.id]);
    expect(await outbox.pendingLanes()).toEqual([]);
  });

  it('an attempt that made progress without consuming (a new thread opened) hands its head to the next one: one head read', async () => {
    const opening = await harness.open();
    const { counted, reads } = countingRanges(opening);
    let n = 0;
    const outbox = new Outbox(counted, systemClock, () => `op${++n}`);
    const calls: string[] = [];
    const deliverer: Deliverer = {
      destination: async () => 'api:callback:opening',
      async deliver(items: readonly OutboxItem[]) {
        // The first attempt opens the thread (a call, nothing consumed); the second posts the item.
        calls.push(calls.length ? `post ${items[0]!.id}` : 'open');
        return calls.length === 1 ? { kind: 'progress' } : { kind: 'delivered', consumed: 1 };
      },
    };
    const worker = workerOn(outbox, counted, deliverer, 'w3', { shared: false });
    worker.start();
    const item = await outbox.append('c:opening', 'api', { op: 'customer.send', convId: 'c3', text: 'first', author: 's1' });
    const deadline = Date.now() + 10_000;
    while (!(calls.length === 2 && worker.activeLanes === 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await worker.stop();
    expect(calls).toEqual(['open', `post ${item.id}`]);
    expect(reads.ranges, 'the head is read once for both attempts (it was twice)').toBe(1);
    expect(await outbox.pendingLanes()).toEqual([]);
    await opening.close();
  });

  it('a poll during a slow delivery leaves the lane to its loop: no extra pass once it is done', async () => {
    const slow = await harness.open();
    const { counted, reads } = countingRanges(slow);
    let n = 0;
    const outbox = new Outbox(counted, systemClock, () => `sp${++n}`);
    let deliveries = 0;
    const deliverer: Deliverer = {
      destination: async () => 'api:callback:slow-poll',
      async deliver() {
        // Longer than several polls (pollMs 10): each finds the lane pending while it is being worked.
        await new Promise((r) => setTimeout(r, 120));
        deliveries += 1;
        return { kind: 'delivered', consumed: 1 };
      },
    };
    const worker = workerOn(outbox, counted, deliverer, 'w2', { shared: false, pollMs: 10 });
    worker.start();
    await outbox.append('c:slow-poll', 'api', { op: 'customer.send', convId: 'c2', text: 'slow', author: 's1' });
    await until(() => deliveries === 1 && worker.activeLanes === 0);
    // A few more polls after the lane went idle: it is retired, so none starts it again.
    await new Promise((r) => setTimeout(r, 60));
    await worker.stop();
    expect(deliveries).toBe(1);
    expect(reads.ranges, 'one head read; a re-run after the loop would read it twice more').toBe(1);
    expect(await outbox.pendingLanes()).toEqual([]);
    await slow.close();
  });
});

/**
 * Where other replicas write too (Redis, `shared`), the head is read again
 * inside the destination's slot, so everything that queued up coalesces.
 * After an attempt consumed all it saw, the lane is retired straight away
 * (an atomic check that its list is empty) instead of first reading an empty
 * head; an item another replica appended meanwhile keeps the lane going.
 * Counted on the embedded store run as if shared: the worker cannot tell.
 */
describe('outbox lane reads where other processes write too', () => {
  const harness = embeddedHarness();
  let store: StorePort | undefined;
  afterAll(async () => { await store?.close(); await harness.cleanup(); });
  // A head read with the lease counts as fresh in the slot for FRESH_HEAD_MS (5 ms) of the monotonic
  // clock, which a stalled CI machine can overrun: it stands still here (timers and Date stay real).
  beforeEach(() => { vi.useFakeTimers({ toFake: ['performance'] }); });
  afterEach(() => { vi.useRealTimers(); });

  it('reads a lone message\'s head once (with the lease; the slot was free), not three times, and a new thread\'s twice, not five', async () => {
    store = await harness.open();
    const { counted, reads } = countingRanges(store);
    let n = 0;
    const outbox = new Outbox(counted, systemClock, () => `sh${++n}`);
    const calls: string[] = [];
    let opens = 0;
    const deliverer: Deliverer = {
      destination: async () => 'api:callback:shared',
      async deliver(items: readonly OutboxItem[]) {
        if (items[0]!.payload.op === 'thread.customer' && opens++ === 0) { calls.push('open'); return { kind: 'progress' }; }
        calls.push(items[0]!.id);
        return { kind: 'delivered', consumed: 1 };
      },
    };
    const worker = workerOn(outbox, counted, deliverer, 'w4', { shared: true });
    worker.start();
    const lone = await outbox.append('c:shared-lone', 'api', { op: 'customer.send', convId: 'c4', text: 'lone', author: 's1' });
    await until(() => calls.length === 1 && worker.activeLanes === 0);
    expect(calls).toEqual([lone.id]);
    expect(reads.ranges, 'lone message (it was three: also the empty head, and again in the slot)').toBe(1);
    expect(await outbox.pendingLanes()).toEqual([]);

    reads.ranges = 0;
    const first = await outbox.append('c:shared-open', 'api', { op: 'thread.customer', convId: 'c5', text: 'first', sentAt: 1 });
    await until(() => calls.length === 3 && worker.activeLanes === 0);
    await worker.stop();
    expect(calls).toEqual([lone.id, 'open', first.id]);
    // With the lease once, then in the post's slot (the head the opening handed on was read
    // before the opening's call); it was five.
    expect(reads.ranges, 'a new thread: its opening hands its head to the post').toBe(2);
    expect(await outbox.pendingLanes()).toEqual([]);
  });

  it('keeps working a lane another process appended to while its last item was being delivered', async () => {
    const shared = await harness.open();
    let n = 0;
    const outbox = new Outbox(shared, systemClock, () => `ot${++n}`);
    // Another replica's outbox on the same store: its appends are unknown to this process's counts.
    const other = new Outbox(shared, systemClock, () => `other${++n}`);
    const delivered: string[] = [];
    let late: OutboxItem | undefined;
    const deliverer: Deliverer = {
      destination: async () => 'api:callback:other',
      async deliver(items: readonly OutboxItem[]) {
        if (!late) late = await other.append('c:shared-other', 'api', { op: 'customer.send', convId: 'c6', text: 'late', author: 's1' });
        delivered.push(items[0]!.id);
        return { kind: 'delivered', consumed: 1 };
      },
    };
    const worker = workerOn(outbox, shared, deliverer, 'w5', { shared: true });
    worker.start();
    const first = await outbox.append('c:shared-other', 'api', { op: 'customer.send', convId: 'c6', text: 'early', author: 's1' });
    await until(() => delivered.length === 2 && worker.activeLanes === 0);
    await worker.stop();
    expect(delivered).toEqual([first.id, late!.id]);
    expect(await outbox.pendingLanes()).toEqual([]);
    await shared.close();
  });
});

/**
 * Issue 18, on a shared store (Redis): the lane's lease is taken and its head read in one store
 * call, and an attempt that took all it read retires the lane at once instead of reading an
 * empty head first: the write that drops what was delivered checks the lease and retires
 * the lane with it. The head is read again inside the destination's slot only when it was
 * read more than a moment before (another replica may have appended meanwhile).
 */
describe('outbox lane calls on a shared store (redis)', () => {
  const harness = redisHarness();
  let store: StorePort | undefined;
  afterAll(async () => { await store?.close(); await harness.cleanup(); });
  // "Read a moment before the slot" is FRESH_HEAD_MS (5 ms) of the monotonic clock, less than a Redis
  // round trip on a stalled CI machine: it stands still here (timers and Date stay real).
  beforeEach(() => { vi.useFakeTimers({ toFake: ['performance'] }); });
  afterEach(() => { vi.useRealTimers(); });

  it('takes the lease with the head, retires the lane after a lone message without an empty read, and delivers what comes after', async () => {
    store = await harness.open();
    const { counted, reads } = countingRanges(store);
    let n = 0;
    const lane = `c:shared-reads-${Date.now()}`;
    const outbox = new Outbox(counted, systemClock, () => `sr${++n}`);
    const delivered: string[] = [];
    const deliverer: Deliverer = {
      destination: async () => 'api:callback:shared-reads',
      async deliver(items: readonly OutboxItem[]) {
        delivered.push(items[0]!.id);
        return { kind: 'delivered', consumed: 1 };
      },
    };
    // No poll during the test: only the appends start the lane.
    const worker = workerOn(outbox, counted, deliverer, 'w6', { shared: true, pollMs: 60_000 });
    worker.start();
    // The start-up poll's read of the pending lanes.
    await until(() => reads.calls.includes('members'));
    reads.calls.length = 0;

    const first = await outbox.append(lane, 'api', { op: 'customer.send', convId: 'c1', text: 'one', author: 's1' });
    await until(() => delivered.length === 1 && worker.activeLanes === 0);
    expect(delivered).toEqual([first.id]);
    // The append, then the lane: lease and head (read a moment before the slot: not again in
    // it), then one write: the lease checked, the item dropped, the lane retired with its lease.
    // It was six calls: the head again in the slot, the lease confirmed, the drop, the retirement.
    expect(reads.calls).toEqual(['writeAtomically', 'takeLeaseAndRange', 'settleListHead']);
    expect(await store.getString(keys.laneLease(lane)), 'the lease went with the lane').toBeUndefined();
    expect(await outbox.pendingLanes()).not.toContain(lane);

    const second = await outbox.append(lane, 'api', { op: 'customer.send', convId: 'c1', text: 'two', author: 's1' });
    await until(() => delivered.length === 2 && worker.activeLanes === 0);
    await worker.stop();
    expect(delivered).toEqual([first.id, second.id]);
    expect(await outbox.pendingLanes()).not.toContain(lane);
  });
});
