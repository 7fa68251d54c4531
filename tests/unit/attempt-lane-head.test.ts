import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BUDGETS } from '../support/modules.js';
import { Outbox } from '../../src/core/outbox/outbox.js';
import type { Deliverer } from '../../src/core/outbox/deliverer.js';
import type { OutboxItem } from '../../src/core/outbox/items.js';
import type { StorePort } from '../../src/core/ports.js';
import { attemptLaneHead, type AttemptContext } from '../../src/runtime/attempt-lane-head.js';
import { SOLE_OWNER_LEASE } from '../../src/runtime/lane-lease.js';
import { Limiters } from '../../src/runtime/limiters.js';
import { createLogger } from '../../src/runtime/logger.js';
import { Metrics } from '../../src/runtime/metrics.js';
import { RecordWindowMetric } from '../../src/runtime/record-window-metric.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { embeddedHarness } from '../store/store-harnesses.js';

/**
 * An attempt reads the lane's head again inside the destination's slot, so
 * what queued up meanwhile coalesces. Where this process is the store's only
 * writer and reported no append to the lane since the worker read its head,
 * that read is skipped: the head cannot have changed; where others write too,
 * when the head was read a moment ago. The write that removes what was
 * delivered retires the lane when that emptied it.
 */
describe('attemptLaneHead reading the head again in the slot', () => {
  const harness = embeddedHarness();
  let store: StorePort;
  beforeAll(async () => { store = await harness.open(); });
  afterAll(async () => { await store?.close(); await harness.cleanup(); });
  afterEach(() => { vi.useRealTimers(); });

  const setup = (lane: string, soleWriter: boolean) => {
    let n = 0;
    const outbox = new Outbox(store, systemClock, () => `${lane}-${++n}`);
    let headReads = 0;
    const head = outbox.head.bind(outbox);
    outbox.head = (l, max) => { headReads += 1; return head(l, max); };
    const delivered: string[][] = [];
    const deliverer: Deliverer = {
      destination: async () => 'api:callback:lane-head',
      async deliver(items: readonly OutboxItem[]) {
        delivered.push(items.map((i) => (i.payload as { text: string }).text));
        return { kind: 'delivered', consumed: items.length, records: [] };
      },
    };
    const metrics = new Metrics();
    const ctx: AttemptContext = {
      outbox, clock: systemClock, metrics,
      limiters: new Limiters({ prefix: 'test:', log: createLogger('silent'), budgets: BUDGETS }),
      blockedUntil: new Map(), recordWindow: new RecordWindowMetric(metrics),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)), isStopping: () => false, soleWriter,
      settleHead: (l, count, records, retire) => outbox.settleHead(l, count, records, { retire }),
    };
    const append = (text: string) => outbox.append(lane, 'api', { op: 'customer.send', convId: 'c1', text, author: 's1' });
    /** The worker's read of the head; `readAgo` ms old (as performance.now() counts). */
    const read = async (readAgo = 1_000) => {
      const appendsSeen = outbox.appendsTo(lane);
      return { items: await outbox.head(lane, 50), appendsSeen, readAt: performance.now() - readAgo };
    };
    return { outbox, ctx, deliverer, delivered, append, read, headReads: () => headReads };
  };

  it('does not read it again when nothing was appended since', async () => {
    const s = setup('c:unchanged', true);
    await s.append('first');
    const read = await s.read();
    const before = s.headReads();
    const { done } = await attemptLaneHead(s.ctx, 'c:unchanged', s.deliverer, read, SOLE_OWNER_LEASE);
    expect(s.headReads()).toBe(before);
    expect(s.delivered).toEqual([['first']]);
    expect(done).toHaveLength(1);
    expect(await s.outbox.head('c:unchanged', 10)).toEqual([]);
  });

  it('reads it again after an append since, and sends what queued up together', async () => {
    const s = setup('c:appended', true);
    await s.append('first');
    const read = await s.read();
    await s.append('second');
    const before = s.headReads();
    await attemptLaneHead(s.ctx, 'c:appended', s.deliverer, read, SOLE_OWNER_LEASE);
    expect(s.headReads()).toBe(before + 1);
    expect(s.delivered).toEqual([['first', 'second']]);
  });

  it('reads it again where other processes write to the store too (Redis), unless it was read a moment ago', async () => {
    const s = setup('c:shared', false);
    await s.append('first');
    const read = await s.read();
    await s.append('second');
    const before = s.headReads();
    await attemptLaneHead(s.ctx, 'c:shared', s.deliverer, read, SOLE_OWNER_LEASE);
    expect(s.headReads()).toBe(before + 1);
    expect(s.delivered).toEqual([['first', 'second']]);

    // "A moment ago" on a stalled CI machine can be more than FRESH_HEAD_MS of real time: the
    // monotonic clock stands still from this read to the check (timers stay real).
    vi.useFakeTimers({ toFake: ['performance'] });
    await s.append('third');
    const justRead = await s.read(0);
    await s.append('fourth');
    const { retired } = await attemptLaneHead(s.ctx, 'c:shared', s.deliverer, justRead, SOLE_OWNER_LEASE);
    expect(s.headReads(), 'no second read within FRESH_HEAD_MS').toBe(before + 2);
    expect(s.delivered.at(-1), 'the item appended after the read waits for the next call').toEqual(['third']);
    expect(retired, 'the lane still holds that item').toBe(false);
    expect((await s.outbox.head('c:shared', 10)).map((i) => (i.payload as { text: string }).text)).toEqual(['fourth']);
  });

  it('retires the lane in the write that removes what it delivered, when that was everything', async () => {
    const s = setup('c:retire', true);
    await s.append('only');
    expect(await s.outbox.pendingLanes()).toContain('c:retire');
    const { retired, done } = await attemptLaneHead(s.ctx, 'c:retire', s.deliverer, await s.read(), SOLE_OWNER_LEASE);
    expect(done).toHaveLength(1);
    expect(retired).toBe(true);
    expect(await s.outbox.pendingLanes()).not.toContain('c:retire');
  });
});
