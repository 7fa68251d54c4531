import { describe, expect, it } from 'vitest';
import { Conversations } from '../../src/core/conversations.js';
import { processLocks } from '../../src/core/lock.js';
import type { Conversation } from '../../src/core/model.js';
import { keys } from '../../src/core/keys.js';
import { pendingStore } from '../support/pending-store.js';

const conv = { id: 'c1', channel: 'whatsapp', account: 'a', customer: { id: 'u' }, queue: 'default', status: 'open', createdAt: 1, lastCustomerAt: 1 } as Conversation;

describe('Conversations.updateWith: a record and its effects in one atomic batch', () => {
  it('issues the record first and the effects made from the new record in one batch, and resolves after it', async () => {
    const s = pendingStore(conv);
    const conversations = new Conversations(s.store, processLocks({ sleep: async () => {} }));
    let done = false;
    const updating = conversations.updateWith('c1', (c) => ({ ...c, lastCustomerAt: 2 }), (next) => {
      expect(next.lastCustomerAt).toBe(2);
      return [{ kind: 'push', key: 'effect', values: ['x'] }];
    }).then((r) => { done = true; return r; });
    await new Promise((r) => setImmediate(r));
    expect(s.log).toEqual(['batch']);
    expect(s.batches[0]!.map((op) => op.key)).toEqual([keys.conversation('c1'), 'effect']);
    expect(done).toBe(false);
    s.release();
    expect((await updating)?.lastCustomerAt).toBe(2);
  });

  it('leaves the record out of the batch when the change kept it, and writes nothing when there is nothing else', async () => {
    const s = pendingStore(conv);
    const conversations = new Conversations(s.store, processLocks({ sleep: async () => {} }));
    const kept = conversations.updateWith('c1', () => undefined, () => [{ kind: 'push', key: 'effect', values: ['x'] }]);
    await new Promise((r) => setImmediate(r));
    expect(s.batches[0]!.map((op) => op.key)).toEqual(['effect']);
    s.release();
    expect(await kept).toBe(conv);
    const quiet = pendingStore(conv);
    const none = new Conversations(quiet.store, processLocks({ sleep: async () => {} }));
    expect(await none.updateWith('c1', () => undefined, () => [])).toBe(conv);
    expect(quiet.log).toEqual([]);
  });
});
