import { describe, expect, it } from 'vitest';
import { Conversations } from '../../src/core/conversations.js';
import { processLocks } from '../../src/core/lock.js';
import type { Conversation } from '../../src/core/model.js';
import { pendingStore } from '../support/pending-store.js';

const conv = { id: 'c1', channel: 'whatsapp', account: 'a', customer: { id: 'u' }, queue: 'default', status: 'open', createdAt: 1, lastCustomerAt: 1 } as Conversation;

describe('Conversations.update with writes alongside', () => {
  it('issues the record and the other writes in the same tick, the record first, and resolves after both', async () => {
    const s = pendingStore(conv);
    const conversations = new Conversations(s.store, processLocks({ sleep: async () => {} }));
    let done = false;
    const updating = conversations.update('c1', (c) => ({ ...c, lastCustomerAt: 2 }), async (next) => {
      expect(next.lastCustomerAt).toBe(2);
      await s.store.writeAtomically([]);
    }).then((r) => { done = true; return r; });
    await new Promise((r) => setImmediate(r));
    // Both were issued before either resolved: on the embedded store they share one commit.
    expect(s.log).toEqual(['set conv:c1', 'batch']);
    expect(done).toBe(false);
    s.release();
    expect((await updating)?.lastCustomerAt).toBe(2);
  });
});
