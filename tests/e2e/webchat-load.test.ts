import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webchatLoad } from '../../bench/webchat/webchat-load.js';
import { keys } from '../../src/core/keys.js';
import { startDesk, type DeskHarness } from '../support/start-desk.js';

const SITE = 'https://shop.example.com';

/**
 * The bench's load at a small scale (the bench runs it with 1,000 sockets
 * against a bot in its own process): sockets cut while replies flow lose
 * nothing and repeat nothing.
 */
describe('web chat under reconnects', () => {
  let h: DeskHarness;
  beforeAll(async () => {
    h = await startDesk({ store: 'embedded', slack: { postRate: false }, env: { WEBCHAT_ORIGINS: SITE } });
  });
  afterAll(async () => { await h?.close(); });

  it('delivers every reply to every visitor once and in order across forced reconnects', async () => {
    const { desk, store } = h.app;
    const agent = (await desk.seats.list())[0]!;
    const result = await webchatLoad({
      url: h.app.url,
      origin: SITE,
      async prepare(visitors) {
        const convs = await Promise.all(visitors.map(async (v) => {
          const id = await store.getString(keys.customerConversation('webchat', 'default', v.visitorId));
          const conv = id ? await desk.conversations.get(id) : undefined;
          if (!conv) throw new Error(`no conversation for ${v.visitorId}`);
          return conv;
        }));
        return async (i, text) => {
          const res = await desk.replyToCustomer(convs[i]!, agent, text);
          if (!res.ok) throw new Error(`reply refused: ${JSON.stringify(res)}`);
        };
      },
    }, { connections: 30, repliesPerVisitor: 4, ratePerSecond: 200, reconnects: 15, addresses: 5 });
    expect(result).toMatchObject({ connections: 30, repliesSent: 120, repliesReceived: 120, lost: 0, duplicates: 0, orderViolations: 0 });
    expect(result.reconnects).toBeGreaterThan(5);
    // Every reply was timed: on the socket open when it was sent, or by the resume after a cut.
    expect(result.latencyMs.count + result.resumedLatencyMs.count).toBe(120);
  }, 60_000);
});
