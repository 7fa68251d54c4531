import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuditLog } from '../../src/core/audit-log.js';
import { Conversations } from '../../src/core/conversations.js';
import { createDedupe } from '../../src/core/dedupe.js';
import { Desk } from '../../src/core/desk.js';
import { keys } from '../../src/core/keys.js';
import { processLocks, storeLocks } from '../../src/core/lock.js';
import type { Conversation, Seat } from '../../src/core/model.js';
import { Outbox } from '../../src/core/outbox/outbox.js';
import type { StorePort } from '../../src/core/ports.js';
import { Seats } from '../../src/core/seats.js';
import { loadScore, scoreParts } from '../../src/core/assignment/seat-load.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { sha256Hex } from '../../src/runtime/sha256-hex.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/open-store.js';
import { deleteRedisKeys, embeddedHarness, randomPrefix, REDIS_URL, type StoreHarness } from './store-harnesses.js';

let ids = 0;
const nextId = () => `${Date.now().toString(36)}-${(ids++).toString(36)}`;

/** The desk's core on a real store, as src/app.ts wires it: queue `sales`, least-busy, no stickiness. */
function deskOn(store: StorePort): Desk {
  const locks = store.kind === 'embedded' ? processLocks(systemClock) : storeLocks({ atomic: store, clock: systemClock, newId: nextId });
  return new Desk({
    store, clock: systemClock, newId: nextId, locks,
    conversations: new Conversations(store, locks),
    seats: new Seats(store, systemClock, locks),
    outbox: new Outbox(store, systemClock, nextId),
    audit: new AuditLog(store, systemClock, sha256Hex),
    dedupe: createDedupe(store),
    settings: {
      queues: {
        sales: { name: 'sales', department: 'default', messenger: 'slack', channel: 'C0SALES', assignment: 'least_busy', stickyDays: 0 },
        turns: { name: 'turns', department: 'default', messenger: 'slack', channel: 'C0TURNS', assignment: 'round_robin', stickyDays: 0 },
      },
      defaultQueue: 'sales', firstReplierClaims: true, rules: { notePrefixes: ['//'], commandPrefix: '!' }, channels: {}, messengers: ['slack'],
    },
  });
}

const seat = (id: string, o: Partial<Seat> = {}): Seat => ({
  id, name: id, bindings: [{ platform: 'slack', userId: `U${id}` }], roles: ['supervisor'], departments: ['default'], queues: ['sales'],
  maxChats: 2, presence: 'online', enabled: true, createdAt: 0, ...o,
});

/** A waiting conversation of the queue, written as intake writes it. */
async function waiting(store: StorePort, id: string, queue = 'sales'): Promise<Conversation> {
  const conv: Conversation = { id, channel: 'api', account: 'crm', customer: { id: `cust-${id}` }, queue, status: 'open', createdAt: 1, lastCustomerAt: 1 };
  await store.set(keys.conversation(id), conv);
  await store.zAdd(keys.waiting(queue), id, Date.now());
  return conv;
}

/** The queue's load index as `seat → held chats`, in its order. */
async function index(store: StorePort, queue = 'sales'): Promise<[string, number][]> {
  return (await store.zRangeByScore(keys.queueLoad(queue), 0, Number.MAX_SAFE_INTEGER)).map((e) => [e.member, scoreParts(e.score).load]);
}

describe('the load score', () => {
  it('orders by held chats, then by turn, and gives both back exactly, even for the latest turn that fits', () => {
    const late = 2 ** 42 - 1;
    expect(scoreParts(loadScore(3, 1_764_000_000_123))).toEqual({ load: 3, turn: 1_764_000_000_123 });
    expect(scoreParts(loadScore(2047, late))).toEqual({ load: 2047, turn: late });
    expect(loadScore(2047, late)).toBe(Number.MAX_SAFE_INTEGER);
    expect(loadScore(1, late)).toBeLessThan(loadScore(2, 0));
    expect(loadScore(1, 5)).toBeLessThan(loadScore(1, 6));
  });
});

/** Redis with a prefix of its own per `open()`: every case starts from an empty store, as on the embedded one. */
function freshRedisHarness(): StoreHarness {
  const prefixes: string[] = [];
  return {
    name: 'redis',
    open() {
      const prefix = randomPrefix();
      prefixes.push(prefix);
      return openStore({ dataDir: join(tmpdir(), 'unused'), redisUrl: REDIS_URL, prefix });
    },
    async cleanup() { for (const p of prefixes) await deleteRedisKeys(p); },
  };
}

describe.each<StoreHarness>([embeddedHarness(), freshRedisHarness()])('the queue load index on the $name store', (harness) => {
  let store: StorePort;
  let desk: Desk;
  beforeEach(async () => {
    store = await harness.open();
    desk = deskOn(store);
    return async () => { await store.close(); };
  });
  afterAll(async () => { await harness.cleanup(); });

  it('holds the online seats with room, in least-busy order, through claims, release, close and transfer', async () => {
    const [ana, bo] = [seat('ana'), seat('bo')];
    await desk.seats.save(ana);
    await desk.seats.save(bo);
    await desk.seats.save(seat('cy', { presence: 'paused' }));
    await desk.seats.save(seat('di', { presence: 'away' }));
    await desk.seats.save(seat('ed', { enabled: false }));
    expect(await index(store)).toEqual([['ana', 0], ['bo', 0]]);

    const [c1, c2, c3] = [await waiting(store, 'c1'), await waiting(store, 'c2'), await waiting(store, 'c3')];
    expect((await desk.claim(c1, ana)).ok).toBe(true);
    expect(await index(store)).toEqual([['bo', 0], ['ana', 1]]);
    // At its max the seat leaves the index: nothing is offered to it.
    expect((await desk.claim(c2, ana)).ok).toBe(true);
    expect(await index(store)).toEqual([['bo', 0]]);
    expect((await desk.release(c2, ana)).ok).toBe(true);
    expect(await index(store)).toEqual([['bo', 0], ['ana', 1]]);
    expect((await desk.claim(c3, bo)).ok).toBe(true);
    expect((await desk.transfer(c3, bo, ana, 'busy')).ok).toBe(true);
    expect(await index(store)).toEqual([['bo', 0]]);
    expect((await desk.close(c1, ana)).ok).toBe(true);
    expect(await index(store)).toEqual([['bo', 0], ['ana', 1]]);
  });

  it('follows presence, max, queues and removal of the seat', async () => {
    await desk.seats.save(seat('ana'));
    await desk.seats.update('ana', (s) => ({ ...s, presence: 'paused' }));
    expect(await index(store)).toEqual([]);
    await desk.seats.update('ana', (s) => ({ ...s, presence: 'online', queues: ['sales', 'vip'] }));
    expect(await index(store)).toEqual([['ana', 0]]);
    expect(await index(store, 'vip')).toEqual([['ana', 0]]);
    await desk.seats.update('ana', (s) => ({ ...s, queues: ['vip'] }));
    expect(await index(store)).toEqual([]);
    await desk.seats.update('ana', (s) => ({ ...s, maxChats: 0 }));
    expect(await index(store, 'vip')).toEqual([]);
    await desk.seats.update('ana', (s) => ({ ...s, maxChats: 3, enabled: false }));
    expect(await index(store, 'vip')).toEqual([]);
    const on = (await desk.seats.update('ana', (s) => ({ ...s, enabled: true })))!.after;
    expect(await index(store, 'vip')).toEqual([['ana', 0]]);
    await desk.seats.remove(on);
    expect(await index(store, 'vip')).toEqual([]);
  });

  it('assigns to the least busy seat the index names, and corrects an entry that claimed room the seat does not have', async () => {
    await desk.seats.save(seat('ana'));
    await desk.seats.save(seat('bo'));
    const held = [await waiting(store, 'h1'), await waiting(store, 'h2')];
    for (const c of held) expect((await desk.claim(c, seat('ana'))).ok).toBe(true);
    // A stale hint: ana's entry says she holds nothing, though she is full.
    await store.zAdd(keys.queueLoad('sales'), 'ana', loadScore(0, 0));
    await waiting(store, 'n1');
    const run = await desk.assignWaiting('sales');
    expect(run.assigned.map((a) => [a.conv.id, a.seat.id])).toEqual([['n1', 'bo']]);
    expect(await store.getString(keys.claim('n1'))).toBe('bo');
    expect(await store.members(keys.seatChats('ana'))).toHaveLength(2);
    expect(await index(store)).toEqual([['bo', 1]]);
    expect(await store.zCard(keys.waiting('sales'))).toBe(0);
  });

  it('reads no waiting entry while nobody is in the queue\'s index, and assigns them once a seat comes online', async () => {
    // Ana is in the queues but away: not in the index.
    await desk.seats.save(seat('ana', { queues: ['sales', 'turns'], presence: 'away' }));
    await waiting(store, 'w1');
    await waiting(store, 'w2', 'turns');
    const reads = vi.spyOn(store, 'zRangeByScore');
    for (const q of ['sales', 'turns']) expect(await desk.assignWaiting(q)).toEqual({ assigned: [], more: false });
    // Each opening kicks its queue: with nobody to give it to, the waiting set is not scanned.
    expect(reads.mock.calls.filter(([key]) => key.startsWith(keys.waiting(''))).length).toBe(0);
    reads.mockRestore();
    await desk.seats.save(seat('ana', { queues: ['sales', 'turns'] }));
    const given = [...(await desk.assignWaiting('sales')).assigned, ...(await desk.assignWaiting('turns')).assigned];
    expect(given.map((a) => [a.conv.id, a.seat.id])).toEqual([['w1', 'ana'], ['w2', 'ana']]);
  });

  it('rebuilds the index at start from chats written without it (indexQueues)', async () => {
    await desk.seats.save(seat('ana', { maxChats: 5 }));
    await store.zRemove(keys.queueLoad('sales'), 'ana');
    for (const id of ['x1', 'x2', 'x3']) {
      await store.setString(keys.claim(id), 'ana');
      await store.addMember(keys.seatChats('ana'), id);
    }
    // An entry without a lease (a crash between two writes) does not count.
    await store.addMember(keys.seatChats('ana'), 'gone');
    await desk.seats.indexQueues();
    expect(await index(store)).toEqual([['ana', 3]]);
  });

  it('round robin: gives each next conversation to the seat whose turn is oldest, whatever its load, and skips a full one', async () => {
    for (const id of ['ana', 'bo', 'cy']) await desk.seats.save(seat(id, { queues: ['turns'], maxChats: id === 'cy' ? 1 : 5 }));
    // Cy is full before anything is assigned: a chat claimed by hand.
    expect((await desk.claim(await waiting(store, 'mine', 'turns'), seat('cy', { queues: ['turns'], maxChats: 1 }))).ok).toBe(true);
    const given: string[][] = [];
    for (const id of ['t1', 't2', 't3', 't4']) {
      await waiting(store, id, 'turns');
      const run = await desk.assignWaiting('turns');
      given.push(...run.assigned.map((a) => [a.conv.id, a.seat.id]));
      // Distinct turns: the clock moves on between assignments.
      await new Promise((r) => setTimeout(r, 3));
    }
    expect(given).toEqual([['t1', 'ana'], ['t2', 'bo'], ['t3', 'ana'], ['t4', 'bo']]);
    // Same load: the older turn (Ana's, t3) first; Cy, full, is not in it.
    expect(await index(store, 'turns')).toEqual([['ana', 2], ['bo', 2]]);
  });
});
