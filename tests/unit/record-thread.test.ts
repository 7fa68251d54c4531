import { describe, expect, it } from 'vitest';
import { Conversations } from '../../src/core/conversations.js';
import { processLocks } from '../../src/core/lock.js';
import type { Conversation } from '../../src/core/model.js';
import { pendingStore } from '../support/pending-store.js';
import { recordThread } from '../../src/core/record-thread.js';

const conv = { id: 'c7', channel: 'whatsapp', account: 'a', customer: { id: 'u' }, queue: 'default', status: 'open', createdAt: 1, lastCustomerAt: 1 } as Conversation;

describe('recordThread', () => {
  it('writes the thread index in the same tick as the record, the record first (one commit on the embedded store)', async () => {
    const { store, log, release } = pendingStore(conv);
    const conversations = new Conversations(store, processLocks({ sleep: async () => {} }));
    const thread = { platform: 'slack', workspace: 'T1', channel: 'C1', thread: '1.2', header: '1.2' };
    const recording = recordThread(conversations, 'c7', thread);
    await new Promise((r) => setImmediate(r));
    // Both issued before either was done: before, the index waited for the record's own commit.
    expect(log).toEqual(['set conv:c7', expect.stringMatching(/^setString .*C1.*1\.2.*=c7$/)]);
    release();
    expect((await recording)?.thread).toEqual(thread);
  });
});
