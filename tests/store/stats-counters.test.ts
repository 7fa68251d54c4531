import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Seat } from '../../src/core/model.js';
import type { StorePort } from '../../src/core/ports.js';
import { keys } from '../../src/core/keys.js';
import { StatsRecorder } from '../../src/core/stats/stats-recorder.js';
import { readStats } from '../../src/core/stats/read-stats.js';
import { embeddedHarness, redisHarness, type StoreHarness } from './store-harnesses.js';

/**
 * Figures from recorded events, on both stores: what the event builders
 * write is what readStats adds up, per queue with a total line and per seat,
 * on the department's local days.
 */
const S = 1000;
const at = (iso: string) => Date.parse(iso);
const seat = (id: string, name: string, queues: string[]): Seat => ({
  id, name, bindings: [{ platform: 'slack', userId: id }], roles: ['agent'], departments: ['sales'], queues, maxChats: 5, presence: 'online', enabled: true, createdAt: 0,
});

describe.each<StoreHarness>([embeddedHarness(), redisHarness()])('figures on the $name store', (harness) => {
  let store: StorePort;
  const zone = 'Asia/Shanghai';
  const recorder = new StatsRecorder(() => zone);
  const seats = [seat('ann', 'Ann', ['refunds']), seat('ben', 'Ben', ['refunds', 'orders'])];
  const now = at('2026-12-01T12:00:00Z');
  const d = () => ({ store, seats: { list: async () => seats }, clock: { now: () => now, sleep: async () => undefined } });
  const write = (...ops: Parameters<StorePort['writeAtomically']>[0][]) => Promise.all(ops.map((o) => store.writeAtomically(o)));

  beforeAll(async () => {
    store = await harness.open();
    // 2026-12-01 local (Shanghai, UTC+8). Refunds: three opened, answered after 20 s, 60 s and 10 min; one closed.
    await write(
      recorder.opened('refunds', at('2026-12-01T01:00:00Z')),
      recorder.opened('refunds', at('2026-12-01T02:00:00Z')),
      recorder.opened('refunds', at('2026-12-01T03:00:00Z')),
      recorder.firstResponse('refunds', at('2026-12-01T01:00:20Z'), 20 * S),
      recorder.firstResponse('refunds', at('2026-12-01T02:01:00Z'), 60 * S),
      recorder.firstResponse('refunds', at('2026-12-01T03:10:00Z'), 600 * S),
      recorder.response('refunds', at('2026-12-01T01:00:20Z'), 20 * S),
      recorder.response('refunds', at('2026-12-01T04:00:00Z'), 40 * S),
      recorder.handled('refunds', 'ann', at('2026-12-01T01:00:00Z')),
      recorder.handled('refunds', 'ben', at('2026-12-01T02:00:00Z')),
      recorder.handled('refunds', 'ann', at('2026-12-01T03:00:00Z')),
      recorder.transferred('refunds', 'ann', at('2026-12-01T05:00:00Z')),
      recorder.recordBreach({ convId: 'c3', queue: 'refunds', seat: 'ann', at: at('2026-12-01T03:05:00Z') }),
      recorder.recordBreach({ convId: 'c2', queue: 'refunds', at: at('2026-12-01T02:01:00Z') }),
      recorder.closed('refunds', 'c2', at('2026-12-01T06:00:00Z')),
      // Orders: one opened and answered after 5 s by Ben.
      recorder.opened('orders', at('2026-12-01T07:00:00Z')),
      recorder.firstResponse('orders', at('2026-12-01T07:00:05Z'), 5 * S),
      recorder.response('orders', at('2026-12-01T07:00:05Z'), 5 * S),
      recorder.handled('orders', 'ben', at('2026-12-01T07:00:00Z')),
      // 23:30 UTC on Nov 30 is already Dec 1 in Shanghai; 15:30 UTC on Nov 30 is Nov 30 there.
      recorder.opened('orders', at('2026-11-30T23:30:00Z')),
      recorder.opened('orders', at('2026-11-30T15:30:00Z')),
    );
    await store.zAdd(keys.waiting('refunds'), 'c1', at('2026-12-01T01:00:00Z'));
  });
  afterAll(async () => {
    await store?.close();
    await harness.cleanup();
  });

  it('adds up one day per queue: volume, state now, first-response p50/p90 and the average response', async () => {
    const stats = await readStats(d(), { department: 'sales', timeZone: zone, range: { from: '2026-12-01', to: '2026-12-01' }, queues: ['refunds', 'orders'] });
    const [refunds, orders] = stats.queues;
    expect(refunds).toEqual({
      queue: 'refunds', opened: 3, closed: 1, open: 2, waiting: 1, overdue: 1,
      firstResponses: 3, firstResponseP50Ms: 60 * S, firstResponseP90Ms: 600 * S, avgResponseMs: 30 * S, transfers: 1, breaches: 2,
    });
    expect(orders).toMatchObject({ queue: 'orders', opened: 2, closed: 0, open: 3, firstResponses: 1, firstResponseP50Ms: 5 * S, avgResponseMs: 5 * S });
  });

  it('gives a total line of all queues from the raw counts, not from averages of averages', async () => {
    const stats = await readStats(d(), { department: 'sales', timeZone: zone, range: { from: '2026-12-01', to: '2026-12-01' }, queues: ['refunds', 'orders'] });
    expect(stats.total).toEqual({
      opened: 5, closed: 1, open: 5, waiting: 1, overdue: 1,
      firstResponses: 4, firstResponseP50Ms: 20 * S, firstResponseP90Ms: 600 * S, avgResponseMs: Math.round(65 * S / 3), transfers: 1, breaches: 2,
    });
  });

  it('gives each seat its handled chats, transfers and breaches in the queues asked for', async () => {
    const both = await readStats(d(), { department: 'sales', timeZone: zone, range: { from: '2026-12-01', to: '2026-12-01' }, queues: ['refunds', 'orders'] });
    expect(both.seats).toEqual([
      { seat: 'ann', name: 'Ann', handled: 2, transfers: 1, breaches: 1 },
      { seat: 'ben', name: 'Ben', handled: 2, transfers: 0, breaches: 0 },
    ]);
    const orders = await readStats(d(), { department: 'sales', timeZone: zone, range: { from: '2026-12-01', to: '2026-12-01' }, queues: ['orders'] });
    expect(orders.seats).toEqual([{ seat: 'ben', name: 'Ben', handled: 1, transfers: 0, breaches: 0 }]);
  });

  it('reads a range of days inclusively, and nothing for days without events', async () => {
    const week = await readStats(d(), { department: 'sales', timeZone: zone, range: { from: '2026-11-25', to: '2026-12-01' }, queues: ['orders'] });
    expect(week.queues[0]!.opened).toBe(3);
    const before = await readStats(d(), { department: 'sales', timeZone: zone, range: { from: '2026-11-30', to: '2026-11-30' }, queues: ['orders'] });
    expect(before.queues[0]).toMatchObject({ opened: 1, firstResponses: 0 });
    expect(before.queues[0]!.firstResponseP50Ms).toBeUndefined();
    expect(before.queues[0]!.avgResponseMs).toBeUndefined();
  });

  it('gives online coverage per local hour from the presence log for the queues\' seats', async () => {
    await store.push(keys.presenceLog(),
      JSON.stringify({ seat: 'ann', presence: 'online', at: at('2026-12-01T01:00:00Z') }),
      JSON.stringify({ seat: 'ann', presence: 'away', at: at('2026-12-01T01:30:00Z') }),
      JSON.stringify({ seat: 'zed', presence: 'online', at: at('2026-12-01T00:00:00Z') }));
    const stats = await readStats(d(), { department: 'sales', timeZone: zone, range: { from: '2026-12-01', to: '2026-12-01' }, queues: ['refunds'], coverage: true });
    // 01:00–01:30 UTC is 09:00–09:30 in Shanghai; Zed is no seat of refunds.
    expect(stats.coverage![9]).toBe(0.5);
    expect(stats.coverage![8]).toBe(0);
    // 12:00 UTC is 20:00 there: later hours have not begun.
    expect(stats.coverage![21]).toBeUndefined();
  });
});
