import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webchatLoad } from '../../bench/webchat/webchat-load.js';
import { startDesk, type DeskHarness } from '../support/start-desk.js';

const SITE = 'https://shop.example.com';

/**
 * The bench's load at a small scale (the bench runs it with 1,000 sockets):
 * sockets cut while replies flow lose nothing and repeat nothing.
 */
describe('web chat under reconnects', () => {
  let h: DeskHarness;
  beforeAll(async () => {
    h = await startDesk({ store: 'embedded', slack: { postRate: false }, env: { WEBCHAT_ORIGINS: SITE } });
  });
  afterAll(async () => { await h?.close(); });

  it('delivers every reply to every visitor once and in order across forced reconnects', async () => {
    const agent = (await h.app.desk.seats.list())[0]!;
    const result = await webchatLoad({ url: h.app.url, origin: SITE, desk: h.app.desk, store: h.app.store, agent }, { connections: 30, repliesPerVisitor: 4, reconnects: 15, addresses: 5 });
    expect(result).toMatchObject({ connections: 30, repliesSent: 120, repliesReceived: 120, lost: 0, duplicates: 0, orderViolations: 0 });
    expect(result.reconnects).toBeGreaterThan(5);
    expect(result.latencyMs.count).toBe(120);
  }, 60_000);
});
