import { describe, expect, it } from 'vitest';
import { Conversations } from '../../src/core/conversations.js';
import { processLocks } from '../../src/core/lock.js';
import type { Conversation } from '../../src/core/model.js';
import { pendingStore } from '../support/pending-store.js';
import { recordThread } from '../../src/core/record-thread.js';
import { keys } from '../../src/core/keys.js';

const conv = { id: 'c7', channel: 'whatsapp', account: 'a', customer: { id: 'u' }, queue: 'default', status: 'open', createdAt: 1, lastCustomerAt: 1 } as Conversation;

describe('recordThread', () => {
  it('writes the record and the thread index in one atomic batch, the record first (one store call)', async () => {
    const { store, log, batches, release } = pendingStore(conv);
    const conversations = new Conversations(store, processLocks({ sleep: async () => {} }));
    const thread = { platform: 'slack', workspace: 'T1', channel: 'C1', thread: '1.2', header: '1.2' };
    const recording = recordThread(conversations, 'c7', thread);
    await new Promise((r) => setImmediate(r));
    // One batch: before, the record and the index were two writes (and two store calls).
    expect(log).toEqual(['batch']);
    expect(batches[0]).toEqual([
      { kind: 'setValue', key: keys.conversation('c7'), value: { ...conv, thread } },
      { kind: 'setString', key: keys.threadIndex('slack', 'T1', 'C1', '1.2'), value: 'c7' },
    ]);
    release();
    expect((await recording)?.thread).toEqual(thread);
  });
});
