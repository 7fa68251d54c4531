import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/core/keys.js';
import { PostChannels } from '../../src/bot/slack/post-channels.js';
import { startDesk, type DeskHarness } from '../support/start-desk.js';
import { actions } from '../support/actions.js';

/**
 * Issue 18, CPU per message: a thread post reads its conversation once. The
 * post's destination (its channel's budget) comes from the channel the
 * deliverer last read for that conversation; the deliverer still reads the
 * conversation itself, and an attempt whose remembered channel was wrong
 * makes no call and goes again through the right channel's budget.
 */
describe('reads of the conversation per Slack thread post', () => {
  let h: DeskHarness;
  beforeAll(async () => { h = await startDesk({ store: 'embedded', slack: { postRate: false } }); });
  afterAll(async () => { await h?.close(); });

  // First in the file, on the channel's full post budget: the header and its text go out together
  // (within Slack's burst), as in a quiet channel. With the budget spent the text follows a second
  // later, and the saved record is too old to stand in for a read (kit/just-opened.ts).
  it('reads a new conversation twice from its first message to its first post (it was four, then three)', async () => {
    const act = actions(h);
    const store = h.app.store;
    const get = store.get.bind(store);
    const reads = new Map<string, number>();
    store.get = async <T>(key: string) => { reads.set(key, (reads.get(key) ?? 0) + 1); return get<T>(key); };
    // The saved record stands in for a read within a second of the app's clock (FRESH_MS), which a
    // stalled CI machine can spend between the thread's opening and its first post: it stands still.
    h.clock.freeze();
    try {
      await act.customerWrites('491707772000', 'opening a thread', { name: 'Opening' });
      await h.slack.waitFor((s) => s.messages.find((m) => m.text === 'opening a thread'), 5000);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      h.clock.resume();
      store.get = get;
    }
    const post = h.slack.messages.find((m) => m.text === 'opening a thread')!;
    const conv = await h.app.desk.conversations.byThread('slack', 'T0001', 'C0SUPPORT', post.thread_ts!);
    // The header card is posted first, into the queue's channel, and the text into its thread.
    expect(h.slack.messages.find((m) => m.ts === post.thread_ts)?.channel).toBe('C0SUPPORT');
    // The opening attempt reads it and recording the new thread reads it under the lock; the post
    // takes the record saved with the thread instead of reading it again (kit/just-opened.ts), and
    // the attempt's budget comes from the queue the intake put in the item, not from a read.
    expect(reads.get(keys.conversation(conv!.id))).toBe(2);
  });

  it('reads the conversation once for the post of a follow-up', async () => {
    const act = actions(h);
    await act.customerWrites('491707771000', 'first of two', { name: 'Reads' });
    await h.slack.waitFor((s) => s.messages.find((m) => m.text === 'first of two'), 5000);
    const conv = await h.app.desk.conversations.byThread('slack', 'T0001', 'C0SUPPORT', (h.slack.messages.find((m) => m.text === 'first of two'))!.thread_ts!);
    const store = h.app.store;
    const get = store.get.bind(store);
    let reads = 0;
    store.get = async <T>(key: string) => { if (key === keys.conversation(conv!.id)) reads += 1; return get<T>(key); };
    try {
      await act.customerWrites('491707771000', 'second of two');
      await h.slack.waitFor((s) => s.messages.find((m) => m.text === 'second of two'), 5000);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      store.get = get;
    }
    // Intake reads it once, as it takes the conversation's lock (it was before the lock and again
    // under it); the post reads it once (it was twice).
    expect(reads).toBe(2);
  });
});

describe('PostChannels', () => {
  it('confirms a channel it did not know or knew the same, and refuses one that changed (remembering the new one)', () => {
    const channels = new PostChannels();
    expect(channels.get('c1')).toBeUndefined();
    expect(channels.confirm('c1', 'C1')).toBe(true);
    expect(channels.get('c1')).toBe('C1');
    expect(channels.confirm('c1', 'C1')).toBe(true);
    expect(channels.confirm('c1', 'C2')).toBe(false);
    expect(channels.get('c1')).toBe('C2');
    expect(channels.confirm('c1', 'C2')).toBe(true);
  });
});
