import { describe, expect, it } from 'vitest';
import { Conversations } from '../../src/core/conversations.js';
import { processLocks } from '../../src/core/lock.js';
import type { Conversation } from '../../src/core/model.js';
import { keys } from '../../src/core/keys.js';
import { pendingStore } from '../support/pending-store.js';

const conv = { id: 'c1', channel: 'whatsapp', account: 'a', customer: { id: 'u' }, queue: 'default', status: 'open', createdAt: 1, lastCustomerAt: 1 } as Conversation;

/** A store whose writes wait until released (pending-store.ts), and the conversations on it. */
function setup() {
  const s = pendingStore(conv);
  return { s, conversations: new Conversations(s.store, processLocks({ sleep: async () => {} })) };
}
const nextTurn = () => new Promise((r) => setImmediate(r));

describe('Conversations.update with writes alongside', () => {
  it('issues the record and the other writes in the same tick, the record first, and resolves after both', async () => {
    const { s, conversations } = setup();
    let done = false;
    const updating = conversations.update('c1', (c) => ({ ...c, lastCustomerAt: 2 }), async (next) => {
      expect(next.lastCustomerAt).toBe(2);
      await s.store.writeAtomically([]);
    }).then((r) => { done = true; return r; });
    await nextTurn();
    // Both were issued before either resolved: on the embedded store they share one commit.
    expect(s.log).toEqual(['set conv:c1', 'batch']);
    expect(done).toBe(false);
    s.release();
    expect((await updating)?.lastCustomerAt).toBe(2);
  });
});

describe('Conversations.updateWith: a record and its effects in one atomic batch', () => {
  it('issues the record first and the effects made from the new record in one batch, and resolves after it', async () => {
    const { s, conversations } = setup();
    let done = false;
    const updating = conversations.updateWith('c1', (c) => ({ ...c, lastCustomerAt: 2 }), (next) => {
      expect(next.lastCustomerAt).toBe(2);
      return [{ kind: 'push', key: 'effect', values: ['x'] }];
    }).then((r) => { done = true; return r; });
    await nextTurn();
    expect(s.log).toEqual(['batch']);
    expect(s.batches[0]!.map((op) => op.key)).toEqual([keys.conversation('c1'), 'effect']);
    expect(done).toBe(false);
    s.release();
    expect((await updating)?.lastCustomerAt).toBe(2);
  });

  it('leaves the record out of the batch when the change kept it, and writes nothing when there is nothing else', async () => {
    const { s, conversations } = setup();
    const kept = conversations.updateWith('c1', () => undefined, () => [{ kind: 'push', key: 'effect', values: ['x'] }]);
    await nextTurn();
    expect(s.batches[0]!.map((op) => op.key)).toEqual(['effect']);
    s.release();
    expect(await kept).toBe(conv);
    const quiet = setup();
    expect(await quiet.conversations.updateWith('c1', () => undefined, () => [])).toBe(conv);
    expect(quiet.s.log).toEqual([]);
  });
});
