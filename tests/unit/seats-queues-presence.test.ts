import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Seats } from '../../src/core/seats.js';
import { processLocks } from '../../src/core/lock.js';
import { keys } from '../../src/core/keys.js';
import type { Seat } from '../../src/core/model.js';
import type { StorePort } from '../../src/core/ports.js';
import { embeddedHarness, redisHarness, type StoreHarness } from '../store/store-harnesses.js';

const seat = (id: string, o: Partial<Seat> = {}): Seat => ({
  id, name: id, bindings: [{ platform: 'slack', userId: `U${id}` }], roles: ['agent'], departments: ['default'],
  queues: ['default'], maxChats: 5, presence: 'online', enabled: true, createdAt: 0, ...o,
});

describe.each<StoreHarness>([embeddedHarness(), redisHarness()])('seats, their queues and their presence on the $name store', (harness) => {
  let store: StorePort;
  let now = 1_000;
  let seats: Seats;
  beforeAll(async () => {
    store = await harness.open();
    seats = new Seats(store, { now: () => now, sleep: async () => {} }, processLocks({ sleep: (ms) => new Promise((r) => setTimeout(r, ms)) }));
  });
  afterAll(async () => { await store?.close(); await harness.cleanup(); });

  it('lists a queue\'s seats as their records say, following queue changes and removal', async () => {
    await seats.save(seat('ann', { queues: ['refunds', 'vip'] }));
    await seats.save(seat('ben', { queues: ['refunds'] }));
    expect((await seats.inQueue('refunds')).map((s) => s.id)).toEqual(['ann', 'ben']);
    await seats.update('ann', (s) => ({ ...s, queues: ['vip'] }));
    expect((await seats.inQueue('refunds')).map((s) => s.id)).toEqual(['ben']);
    expect((await seats.inQueue('vip')).map((s) => s.id)).toEqual(['ann']);
    await seats.remove((await seats.get('ben'))!);
    expect(await seats.inQueue('refunds')).toEqual([]);
  });

  it('logs presence and enabled changes with the time, not other changes', async () => {
    const from = await store.length(keys.presenceLog());
    now = 2_000;
    await seats.save(seat('cat'));
    now = 3_000;
    await seats.update('cat', (s) => ({ ...s, presence: 'paused' }));
    await seats.update('cat', (s) => ({ ...s, maxChats: 9 }));
    now = 4_000;
    await seats.update('cat', (s) => ({ ...s, enabled: false }));
    const log = (await store.range(keys.presenceLog(), from, -1)).map((l) => JSON.parse(l));
    expect(log).toEqual([
      { seat: 'cat', presence: 'online', at: 2_000 },
      { seat: 'cat', presence: 'paused', at: 3_000 },
      { seat: 'cat', presence: 'disabled', at: 4_000 },
    ]);
  });

  it('tells its listeners of every save', async () => {
    const heard: string[] = [];
    seats.onSaved((s) => heard.push(s.id));
    await seats.save(seat('dan'));
    await seats.update('dan', (s) => ({ ...s, presence: 'away' }));
    expect(heard).toEqual(['dan', 'dan']);
  });
});
