import { afterAll, describe, expect, it } from 'vitest';
import { WebchatDeliverer } from '../../src/channels/webchat/deliver.js';
import { VisitorHistory } from '../../src/channels/webchat/history.js';
import { DESK_AUTHOR } from '../../src/core/intake/receive-customer-message.js';
import type { Conversation, Seat } from '../../src/core/model.js';
import type { OutboxItem } from '../../src/core/outbox/items.js';
import type { StorePort } from '../../src/core/ports.js';
import { embeddedHarness, redisHarness } from './store-harnesses.js';

const conv: Conversation = { id: 'conv-1', channel: 'webchat', account: 'sales', customer: { id: 'anon-visitor-1' }, queue: 'default', status: 'open', createdAt: 1, lastCustomerAt: 1 };
const ana: Seat = { id: 'seat-ana', name: 'Ana', bindings: [], roles: ['agent'], departments: [], queues: [], maxChats: 5, presence: 'online', enabled: true, createdAt: 1 };
const desk = {
  conversations: { get: (id: string) => Promise.resolve(id === conv.id ? conv : undefined) },
  seats: { get: (id: string) => Promise.resolve(id === ana.id ? ana : undefined) },
};
const item = (id: string, text: string, author = ana.id): OutboxItem => ({
  id, lane: 'c:conv-1', via: 'webchat', createdAt: 1000, attempts: 0, payload: { op: 'customer.send', convId: conv.id, text, author },
});

/** Delivered = stored in the visitor's history, once, even when the outbox repeats an item after a crash. */
describe.each([embeddedHarness(), redisHarness()])('web chat delivery on the $name store', (harness) => {
  const stores: StorePort[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
    await harness.cleanup();
  });

  it('stores an agent reply with the agent\'s name and the desk\'s texts as its own, tells open sockets, and appends a repeated item once', async () => {
    const store = await harness.open();
    stores.push(store);
    const told: string[] = [];
    const deliverer = new WebchatDeliverer(desk, store, (v) => told.push(v));
    expect(await deliverer.destination(item('i1', 'x'))).toBe('webchat:visitor:conv-1');
    expect(await deliverer.deliver([item('i1', 'Hello from Ana')])).toEqual({ kind: 'delivered', consumed: 1 });
    // The outbox repeats i1 (its removal was lost in a crash): nothing is appended again.
    expect(await deliverer.deliver([item('i1', 'Hello from Ana')])).toEqual({ kind: 'delivered', consumed: 1 });
    expect(await deliverer.deliver([item('i2', 'We are closed now.', DESK_AUTHOR)])).toMatchObject({ kind: 'delivered' });
    const lines = await new VisitorHistory(store).since('anon-visitor-1', 0);
    expect(lines.map((l) => [l.id, l.author, l.name, l.text])).toEqual([[1, 'agent', 'Ana', 'Hello from Ana'], [2, 'system', undefined, 'We are closed now.']]);
    // A fresh line is told twice (once committed, once durable), a repeat once.
    expect(told).toEqual(Array.from({ length: 5 }, () => 'anon-visitor-1'));
  });

  it('tells the sockets before the write is durable, and a read queued then already sees the line', async () => {
    const store = await harness.open();
    stores.push(store);
    // The store's write lands at once but its durability (the fsync) comes only when the test says
    // so: not a fixed time, which a stalled CI machine could spend before the sockets' read answers.
    let makeDurable!: () => void;
    const durable = new Promise<void>((r) => { makeDurable = r; });
    const slowSync: StorePort = Object.create(store) as StorePort;
    slowSync.writeAtomically = (ops) => {
      const landed = store.writeAtomically(ops);
      return landed.then(() => durable);
    };
    const history = new VisitorHistory(store);
    const seen: string[][] = [];
    const deliverer = new WebchatDeliverer(desk, slowSync, (v) => { void history.since(v, 0).then((lines) => seen.push(lines.map((l) => l.text))); });
    let delivered = false;
    const delivering = deliverer.deliver([item('i9', 'Fast to the socket')]);
    void delivering.then(() => { delivered = true; });
    await expect.poll(() => seen.length, { timeout: 5000 }).toBeGreaterThan(0);
    expect(seen[0]).toContain('Fast to the socket');
    expect(delivered, 'the item waits for the write to be durable').toBe(false);
    makeDurable();
    expect(await delivering).toEqual({ kind: 'delivered', consumed: 1 });
  });

  it('shows the name the queue\'s agent identity gives, and none when the queue hides it (show_name: false)', async () => {
    const store = await harness.open();
    stores.push(store);
    const deliverer = new WebchatDeliverer(desk, store, () => undefined);
    const named = item('i5', 'Named reply');
    const hidden = item('i6', 'Team reply');
    await deliverer.deliver([{ ...named, payload: { op: 'customer.send', convId: conv.id, text: 'Named reply', author: ana.id, identity: { name: 'Ana (Acme)' } } }]);
    await deliverer.deliver([{ ...hidden, payload: { op: 'customer.send', convId: conv.id, text: 'Team reply', author: ana.id, identity: {} } }]);
    const lines = await new VisitorHistory(store).since('anon-visitor-1', 0);
    expect(lines.slice(-2).map((l) => [l.author, l.name, l.text])).toEqual([['agent', 'Ana (Acme)', 'Named reply'], ['agent', undefined, 'Team reply']]);
  });

  it('fails an item whose conversation is gone, and one that is not a customer send', async () => {
    const store = await harness.open();
    stores.push(store);
    const deliverer = new WebchatDeliverer(desk, store, () => undefined);
    expect(await deliverer.deliver([{ ...item('i3', 'x'), payload: { op: 'customer.send', convId: 'gone', text: 'x', author: ana.id } }])).toMatchObject({ kind: 'failed', consumed: 1 });
    expect(await deliverer.deliver([{ ...item('i4', 'x'), payload: { op: 'thread.header', convId: conv.id } }])).toMatchObject({ kind: 'failed', consumed: 1 });
  });
});
