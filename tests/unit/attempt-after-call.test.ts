import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/core/outbox/outbox.js';
import type { Budget } from '../../src/core/outbox/budgets.js';
import type { Deliverer, DeliveryOutcome } from '../../src/core/outbox/deliverer.js';
import type { StorePort } from '../../src/core/ports.js';
import { attemptLaneHead, type AttemptContext } from '../../src/runtime/attempt-lane-head.js';
import { SOLE_OWNER_LEASE } from '../../src/runtime/lane-lease.js';
import { Limiters } from '../../src/runtime/limiters.js';
import { createLogger } from '../../src/runtime/logger.js';
import { Metrics } from '../../src/runtime/metrics.js';
import { RecordWindowMetric } from '../../src/runtime/record-window-metric.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { embeddedHarness } from '../store/store-harnesses.js';
import { waitFor } from '../support/wait-until.js';

/** One call at a time: a slot held by one attempt keeps every other out. */
const BUDGETS: Record<string, Budget> = { 'one:slot': { minTimeMs: 0, maxConcurrent: 1 } };
const DESTINATION = 'one:slot:channel';

/**
 * What follows a call but needs no budget (recording the thread a header
 * opened) runs after the destination's slot is given back, before the lane's
 * next attempt: the slot holds the call, not the store's writes.
 */
describe('attemptLaneHead running the work after a call', () => {
  const harness = embeddedHarness();
  let store: StorePort;
  beforeAll(async () => { store = await harness.open(); });
  afterAll(async () => { await store?.close(); await harness.cleanup(); });

  const setup = () => {
    let n = 0;
    const outbox = new Outbox(store, systemClock, () => `item-${++n}`);
    const metrics = new Metrics();
    const ctx: AttemptContext = {
      outbox, clock: systemClock, metrics,
      limiters: new Limiters({ prefix: 'test:', log: createLogger('silent'), budgets: BUDGETS }),
      blockedUntil: new Map(), recordWindow: new RecordWindowMetric(metrics),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)), isStopping: () => false, soleWriter: true,
      settleHead: (l, count, records, retire) => outbox.settleHead(l, count, records, { retire }),
    };
    const deliverer = (deliver: () => Promise<DeliveryOutcome>): Deliverer => ({ destination: async () => DESTINATION, deliver });
    const lane = async (name: string) => {
      await outbox.append(name, 'api', { op: 'customer.send', convId: name, text: `to ${name}`, author: 's1' });
      return { items: await outbox.head(name, 50), appendsSeen: outbox.appendsTo(name) };
    };
    return { outbox, ctx, deliverer, lane };
  };

  it('gives the slot back before it, so another lane\'s call goes out meanwhile, and finishes it before answering', async () => {
    const s = setup();
    const events: string[] = [];
    let finishRecording!: () => void;
    const recording = new Promise<void>((r) => { finishRecording = r; });
    const opening = s.deliverer(async () => {
      events.push('header posted');
      return { kind: 'progress', afterCall: async () => { events.push('recording'); await recording; events.push('recorded'); } };
    });
    const other = s.deliverer(async () => { events.push('other lane posted'); return { kind: 'delivered', consumed: 1 }; });

    const first = attemptLaneHead(s.ctx, 'lane-a', opening, await s.lane('lane-a'), SOLE_OWNER_LEASE);
    await waitFor(() => events.includes('recording') || undefined);
    // The one slot is free while the first attempt records: the other lane's call is not kept waiting
    // (waitFor gives up after 5 s, while the recording is still pending).
    let second: Awaited<ReturnType<typeof attemptLaneHead>> | undefined;
    void attemptLaneHead(s.ctx, 'lane-b', other, await s.lane('lane-b'), SOLE_OWNER_LEASE).then((r) => { second = r; });
    await waitFor(() => second);
    expect(second!.outcome.kind).toBe('delivered');
    expect(events).toEqual(['header posted', 'recording', 'other lane posted']);

    let answered = false;
    void first.then(() => { answered = true; });
    await new Promise((r) => setTimeout(r, 20));
    expect(answered).toBe(false);
    finishRecording();
    const result = await first;
    expect(events.at(-1)).toBe('recorded');
    // Progress, as the deliverer said; the items stay for the next attempt, handed on without a read.
    expect(result.outcome).toEqual({ kind: 'progress' });
    expect(result.done).toEqual([]);
    expect(result.next?.items.map((i) => i.id)).toEqual((await s.outbox.head('lane-a', 10)).map((i) => i.id));
  });

  it('counts the attempt as a retry when that work fails, and leaves the items in the lane', async () => {
    const s = setup();
    const failing = s.deliverer(async () => ({ kind: 'progress', afterCall: async () => { throw new Error('store unavailable'); } }));
    const read = await s.lane('lane-c');
    const result = await attemptLaneHead(s.ctx, 'lane-c', failing, read, SOLE_OWNER_LEASE);
    expect(result.outcome.kind).toBe('retry');
    expect(result.outcome.kind === 'retry' && result.outcome.reason).toContain('store unavailable');
    expect(result.done).toEqual([]);
    expect((await s.outbox.head('lane-c', 10)).map((i) => i.id)).toEqual(read.items.map((i) => i.id));
  });
});
