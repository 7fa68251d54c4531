import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type DeskHarness, type StoreKind } from '../support/start-desk.js';
import { actions } from '../support/actions.js';

const CONVERSATIONS = 6;
const MESSAGES = 10;

/**
 * Rate limits (issue acceptance): the fake Slack enforces its documented
 * budget (a burst of 3, then 1 post/s per channel) and answers 429 beyond it.
 * 6 conversations × 10 customer messages arriving at once into one channel are
 * delivered with nothing lost, no 429, order kept — which at Slack's rate is
 * only possible by coalescing each thread's waiting messages into one post.
 * (The drain time against the floor is measured in bench/, not here.)
 */
describe.each<StoreKind>(['embedded', 'redis'])('a burst into one channel on the %s store', (store) => {
  let h: DeskHarness;
  beforeAll(async () => { h = await startDesk({ store, slack: { postRate: { burst: 3, perSecond: 1 } } }); });
  afterAll(async () => { await h?.close(); });

  it('delivers 6 × 10 customer messages with none lost, no 429, order kept, one header and about one post per thread', async () => {
    const act = actions(h);
    const sent = await Promise.all(
      Array.from({ length: CONVERSATIONS }, async (_, c) => {
        const texts: string[] = [];
        for (let i = 0; i < MESSAGES; i++) {
          const text = `burst c${c} m${i}`;
          texts.push(text);
          expect((await act.customerWrites(`4917200000${c}`, text, { name: `Burst ${c}` })).status).toBe(200);
        }
        return texts;
      }),
    );
    const all = sent.flat();
    const linesOf = () => h.slack.messages.filter((m) => m.thread_ts).flatMap((m) => m.text.split('\n').map((line) => ({ line, thread: m.thread_ts! })));
    await h.slack.waitFor(() => { const seen = new Set(linesOf().map((l) => l.line)); return all.every((t) => seen.has(t)); }, 30_000);

    expect(h.slack.rateLimitedCount).toBe(0);
    const lines = linesOf();
    for (const texts of sent) {
      const inThread = lines.filter((l) => texts.includes(l.line));
      expect(new Set(inThread.map((l) => l.thread)).size, 'one thread per conversation').toBe(1);
      expect(inThread.map((l) => l.line), 'each text once, in the order sent').toEqual(texts);
    }
    const posts = h.slack.callsTo('chat.postMessage').filter((c) => c.status === 200);
    // A header and (about) one coalesced post per conversation, instead of 1 + 10 each.
    expect(posts.length).toBeLessThanOrEqual(2 * CONVERSATIONS + 2);
  }, 60_000);
});
