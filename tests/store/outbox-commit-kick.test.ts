import { afterAll, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/core/outbox/outbox.js';
import type { StorePort } from '../../src/core/ports.js';
import { embeddedHarness, redisHarness } from './store-harnesses.js';

/**
 * An agent's reply may leave once its batch is committed: the local worker is
 * told by a read queued behind the write, which on the embedded store answers
 * at COMMIT, before the fsync that makes the batch durable.
 */
describe.each([embeddedHarness(), redisHarness()])('telling the outbox worker at commit on the $name store', (harness) => {
  const stores: StorePort[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
    await harness.cleanup();
  });

  it('tells the worker about an item once its batch is committed, and not about one that is not there', async () => {
    const store = await harness.open();
    stores.push(store);
    let seq = 0;
    const outbox = new Outbox(store, { now: () => 1000, sleep: () => Promise.resolve() }, () => `id${++seq}`);
    const told: { lane: string; writeDone: boolean }[] = [];
    let writeDone = false;
    outbox.onAppend = (lane) => told.push({ lane, writeDone });

    const { item, ops } = outbox.stage('c:conv-1', 'webchat', { op: 'customer.send', convId: 'conv-1', text: 'hi', author: 'seat-1' });
    const written = store.writeAtomically(ops).then(() => { writeDone = true; });
    expect(await outbox.appendedOnCommit('c:conv-1', item)).toBe(true);
    await written;
    expect(told.map((t) => t.lane)).toEqual(['c:conv-1']);
    // The embedded store answers the read at COMMIT; its fsync, and so the write, settles later.
    if (harness.name === 'embedded') expect(told[0]!.writeDone).toBe(false);
    expect(outbox.appendsTo('c:conv-1')).toBe(1);

    const notWritten = outbox.stage('c:conv-2', 'webchat', { op: 'customer.send', convId: 'conv-2', text: 'x', author: 'seat-1' }).item;
    expect(await outbox.appendedOnCommit('c:conv-2', notWritten)).toBe(false);
    // Another item at the tail: not this one's commit.
    const later = outbox.stage('c:conv-1', 'webchat', { op: 'customer.send', convId: 'conv-1', text: 'later', author: 'seat-1' });
    await store.writeAtomically(later.ops);
    expect(await outbox.appendedOnCommit('c:conv-1', item)).toBe(false);
    expect(told).toHaveLength(1);
  });
});
