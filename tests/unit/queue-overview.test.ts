import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Seat } from '../../src/core/model.js';
import type { Clock, StorePort } from '../../src/core/ports.js';
import type { QueueRoute } from '../../src/core/queue-router.js';
import { Conversations } from '../../src/core/conversations.js';
import { Seats } from '../../src/core/seats.js';
import { processLocks } from '../../src/core/lock.js';
import { keys } from '../../src/core/keys.js';
import { queueOverview, WAITING_SHOWN, type OverviewPorts } from '../../src/core/overview/queue-overview.js';
import { mayViewQueue } from '../../src/core/overview/may-view-queue.js';
import { queueViewText } from '../../src/handlers/queue-view-text.js';
import { embeddedHarness, redisHarness, type StoreHarness } from '../store/store-harnesses.js';

const NOW = Date.UTC(2026, 11, 1, 12, 0);
const MIN = 60_000;

const QUEUES: Record<string, QueueRoute> = {
  refunds: { name: 'refunds', department: 'after-sales', messenger: 'slack', channel: 'C0REFUNDS' },
  sales: { name: 'sales', department: 'sales', messenger: 'slack', channel: 'C0SALES' },
  vip: { name: 'vip', department: 'sales', messenger: 'slack', channel: 'C0VIP' },
};

function seat(id: string, o: Partial<Seat> = {}): Seat {
  return {
    id, name: id, bindings: [{ platform: 'slack', userId: `U${id}` }], roles: ['agent'], departments: [], queues: ['refunds'],
    maxChats: 3, presence: 'online', enabled: true, createdAt: 0, ...o,
  };
}

function conversation(id: string, o: Partial<Conversation> = {}): Conversation {
  return { id, channel: 'whatsapp', account: '100', customer: { id: `c-${id}`, name: `Customer ${id}` }, queue: 'refunds', status: 'open', createdAt: 0, lastCustomerAt: 0, ...o };
}

describe.each<[string, () => StoreHarness]>([['embedded', embeddedHarness], ['redis', redisHarness]])('/queue overview on the %s store', (_name, harnessOf) => {
  const harness = harnessOf();
  let store: StorePort;
  let ports: OverviewPorts;
  let seats: Seats;
  let conversations: Conversations;
  const clock: Clock = { now: () => NOW, sleep: async () => {} };

  beforeAll(async () => {
    store = await harness.open();
    const locks = processLocks(clock);
    seats = new Seats(store, clock, locks);
    conversations = new Conversations(store, locks);
    ports = { store, conversations, seats, clock, queues: QUEUES, channels: { whatsapp: { label: 'WhatsApp' }, api: { label: 'API', labelWithAccount: true } } };
  });
  afterAll(async () => {
    await store?.close();
    await harness.cleanup();
  });

  /** A conversation waiting in `queue` since `minutesAgo`. */
  const waits = async (conv: Conversation, minutesAgo: number) => {
    await conversations.save(conv);
    await store.zAdd(keys.waiting(conv.queue), conv.id, NOW - minutesAgo * MIN);
  };

  it('lists what still waits oldest first, skipping closed, claimed and moved entries, with the channel label and how long', async () => {
    await waits(conversation('w-new'), 2);
    await waits(conversation('w-old', { channel: 'api', account: 'crm', customer: { id: 'c-old' } }), 90);
    await waits(conversation('w-mid'), 30);
    await waits(conversation('w-closed', { status: 'closed' }), 60);
    await waits(conversation('w-claimed'), 45);
    await store.setString(keys.claim('w-claimed'), 'someone');
    await waits(conversation('w-moved'), 50);
    await conversations.save(conversation('w-moved', { queue: 'sales' }));
    await store.zAdd(keys.waiting('refunds'), 'w-gone', NOW - 70 * MIN);

    const result = await queueOverview(ports, seat('reader'), 'refunds');
    expect(result.ok).toBe(true);
    const [q] = result.ok ? result.value : [];
    expect(q!.waiting.map((r) => r.convId)).toEqual(['w-old', 'w-mid', 'w-new']);
    expect(q!.waiting[0]).toEqual({ convId: 'w-old', channel: 'API (crm)', since: NOW - 90 * MIN, waitedMs: 90 * MIN });
    expect(q!.waiting[1]).toMatchObject({ customerName: 'Customer w-mid', channel: 'WhatsApp', waitedMs: 30 * MIN });
    expect(q!.moreWaiting).toBe(0);
    // Reading never tidies: assignment removes stale entries.
    expect(await store.zScore(keys.waiting('refunds'), 'w-closed')).toBeDefined();
  });

  it('counts who is online with their load and max, and the paused and away seats; disabled seats not at all', async () => {
    await seats.save(seat('ana', { maxChats: 2 }));
    await seats.save(seat('ben', { maxChats: 4 }));
    await seats.save(seat('cai', { presence: 'paused' }));
    await seats.save(seat('dee', { presence: 'away' }));
    await seats.save(seat('eve', { presence: 'away' }));
    await seats.save(seat('off', { enabled: false }));
    // ana holds one chat; a stale member of her set (claimed by someone else since) does not count.
    await store.addMember(keys.seatChats('ana'), 'held-1');
    await store.setString(keys.claim('held-1'), 'ana');
    await store.addMember(keys.seatChats('ana'), 'held-2');
    await store.setString(keys.claim('held-2'), 'ben');

    const result = await queueOverview(ports, seat('reader'), 'refunds');
    const [q] = result.ok ? result.value : [];
    expect(q!.online).toEqual([{ name: 'ana', held: 1, max: 2 }, { name: 'ben', held: 0, max: 4 }]);
    expect({ paused: q!.paused, away: q!.away }).toEqual({ paused: 1, away: 2 });
  });

  it(`shows at most ${WAITING_SHOWN} waiting conversations and counts the rest`, async () => {
    for (let i = 0; i < WAITING_SHOWN + 7; i++) await waits(conversation(`s-${String(i).padStart(2, '0')}`, { queue: 'sales' }), 100 - i);
    const result = await queueOverview(ports, seat('reader', { queues: ['sales'] }), 'sales');
    const [q] = result.ok ? result.value : [];
    expect(q!.waiting).toHaveLength(WAITING_SHOWN);
    expect(q!.waiting[0]!.convId).toBe('s-00');
    expect(q!.moreWaiting).toBe(7);
    const text = queueViewText({ kind: 'queues', lang: 'en', queues: [q!] });
    expect(text).toContain('27 conversations wait, oldest first:');
    expect(text).toContain('and 7 more');
    expect(text).toContain('Customer s-00 · WhatsApp · waiting 2 hours (s-00)');
  });

  it('without a name: every queue the seat may see, by name; with one it may not see: outside_department; unknown: unknown_queue', async () => {
    const member = seat('member', { queues: ['refunds'] });
    const salesAgent = seat('sales-agent', { queues: [], departments: ['sales'] });
    const all = await queueOverview(ports, salesAgent);
    expect(all.ok && all.value.map((q) => q.queue)).toEqual(['sales', 'vip']);
    const mine = await queueOverview(ports, member);
    expect(mine.ok && mine.value.map((q) => q.queue)).toEqual(['refunds']);
    expect(await queueOverview(ports, member, 'sales')).toEqual({ ok: false, failure: { code: 'outside_department', detail: { department: 'sales' } } });
    expect(await queueOverview(ports, member, 'nope')).toEqual({ ok: false, failure: { code: 'unknown_queue', detail: { queue: 'nope' } } });
    const admin = await queueOverview(ports, seat('boss', { roles: ['admin'], queues: [] }));
    expect(admin.ok && admin.value.map((q) => q.queue)).toEqual(['refunds', 'sales', 'vip']);
  });
});

describe('who may see a queue', () => {
  const refunds = QUEUES.refunds!;
  it('a member of the queue, or a seat of its department, that may claim; not security, disabled seats or strangers', () => {
    expect(mayViewQueue(seat('a', { queues: ['refunds'] }), refunds)).toBe(true);
    expect(mayViewQueue(seat('b', { queues: [], departments: ['after-sales'], roles: ['supervisor'] }), refunds)).toBe(true);
    expect(mayViewQueue(seat('c', { queues: ['sales'], departments: ['sales'], roles: ['supervisor'] }), refunds)).toBe(false);
    expect(mayViewQueue(seat('d', { roles: ['security'], departments: ['after-sales'] }), refunds)).toBe(false);
    expect(mayViewQueue(seat('e', { enabled: false }), refunds)).toBe(false);
    expect(mayViewQueue(undefined, refunds)).toBe(false);
  });
});
