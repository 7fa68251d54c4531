import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreKind } from '../support/start-desk.js';
import type { DriverSession, MessengerDriver } from '../support/messenger-driver.js';
import { actions } from '../support/actions.js';
import { slackDriver } from '../support/drivers/slack.js';
import { discordDriver } from '../support/drivers/discord.js';
import { telegramDriver } from '../support/drivers/telegram.js';
import { echoDriver } from '../support/drivers/echo.js';

/**
 * Every messenger runs this one story; a new messenger adds its driver here.
 * Echo is defined entirely in tests/ (tests/support/echo, registered through
 * the registry): the proof that a fourth messenger is a folder, with no edit in src/.
 */
const DRIVERS: MessengerDriver[] = [slackDriver, discordDriver, telegramDriver('webhook'), telegramDriver('polling'), echoDriver];
const CASES = DRIVERS.flatMap((d) => (['embedded', 'redis'] as StoreKind[]).map((store) => ({ driver: d, store, label: `${d.name}${d.variant ? ` (${d.variant})` : ''} on the ${store} store` })));

/**
 * The core loop, end to end: the real HTTP server, messenger SDK, outbox and
 * store, against local fakes of the messenger and of the WhatsApp Graph API.
 */
describe.each(CASES)('core loop: $label', ({ driver, store }) => {
  let s: DriverSession;
  let customer: ReturnType<typeof actions>;
  const seatName = () => `${driver.name}:${s.users.seat}`;
  beforeAll(async () => {
    s = await driver.start(store);
    customer = actions(s.h);
  });
  afterAll(async () => { await s?.h.close(); });

  it('mirrors a signed WhatsApp message as a header card and a post in its thread', async () => {
    expect((await customer.customerWrites('491701234567', 'Hello, my order #118 never arrived', { name: 'Ana' })).status).toBe(200);
    const thread = await s.threadWith('Hello, my order #118 never arrived');
    expect(s.headerText(thread)).toContain('Ana');
    expect(s.threadTexts(thread)).toEqual(['Hello, my order #118 never arrived']);
  });

  it("sends a seat's thread reply to the customer, marks it delivered, and lets the first replier claim", async () => {
    const thread = await s.threadWith('Hello, my order #118 never arrived');
    const reply = await s.agentWrites(s.users.seat, thread, 'Sorry Ana, I am checking it right now');
    expect(reply.status).toBe(200);
    const sent = await s.h.graph.waitFor((g) => g.sent.find((m) => m.text === 'Sorry Ana, I am checking it right now'), 5000);
    expect(sent.to).toBe('491701234567');
    await expect.poll(() => s.isMarkedDelivered(thread, reply.messageId), { timeout: 5000 }).toBe(true);
    await expect.poll(() => s.headerText(thread), { timeout: 5000 }).toContain(seatName());
  });

  it('keeps notes and commands internal', async () => {
    const thread = await s.threadWith('Hello, my order #118 never arrived');
    const before = s.h.graph.sent.length;
    await s.agentWrites(s.users.seat, thread, '// customer sounds upset, be gentle');
    await s.agentWrites(s.users.seat, thread, 'note: refund approved by finance');
    await s.agentWrites(s.users.seat, thread, '!claim');
    // Something sent afterwards shows the customer lane moved past the notes.
    await s.agentWrites(s.users.seat, thread, 'A refund is on its way.');
    await s.h.graph.waitFor((g) => g.sent.find((m) => m.text === 'A refund is on its way.'), 5000);
    expect(s.h.graph.sent.slice(before).map((m) => m.text)).toEqual(['A refund is on its way.']);
    await expect.poll(() => s.privateTextsTo(s.users.seat).join('\n'), { timeout: 5000 }).toContain('already have this conversation');
  });

  it("keeps a non-seat's message internal and tells them privately what to do", async () => {
    const thread = await s.threadWith('Hello, my order #118 never arrived');
    const before = s.h.graph.sent.length;
    await s.agentWrites(s.users.stranger, thread, 'I can take this one');
    await expect.poll(() => s.privateTextsTo(s.users.stranger).join('\n'), { timeout: 5000 }).toContain('not a seat');
    expect(s.h.graph.sent.length).toBe(before);
  });

  it("ignores the bot's own messages and other bots (no echo loop)", async () => {
    const thread = await s.threadWith('Hello, my order #118 never arrived');
    const sentBefore = s.h.graph.sent.length;
    const textsBefore = s.threadTexts(thread).length;
    await s.botMessageArrives(thread, 'Hello, my order #118 never arrived');
    await s.botMessageArrives(thread, 'deploy finished', { otherBot: true });
    // A later reply goes out, so the two above were processed (and dropped) before it.
    await s.agentWrites(s.users.seat, thread, 'Anything else I can do?');
    await s.h.graph.waitFor((g) => g.sent.find((m) => m.text === 'Anything else I can do?'), 5000);
    expect(s.h.graph.sent.slice(sentBefore).map((m) => m.text)).toEqual(['Anything else I can do?']);
    expect(s.threadTexts(thread).length).toBe(textsBefore);
  });

  it('processes a redelivered messenger event and a repeated wamid once', async () => {
    const thread = await s.threadWith('Hello, my order #118 never arrived');
    const id = `retry-${driver.name}-${store}`;
    const first = await s.agentWrites(s.users.seat, thread, 'Only once please', { deliveryId: id });
    const again = await s.agentWrites(s.users.seat, thread, 'Only once please', { deliveryId: id, redeliver: true });
    expect([first.status, again.status]).toEqual([200, 200]);
    const wamid = `wamid.HBgMNDkxNzAxMjM0NTY3FQIAEhgg${driver.name}${store}`;
    const a = await customer.customerWrites('491701234567', 'Are you there?', { id: wamid });
    const b = await customer.customerWrites('491701234567', 'Are you there?', { id: wamid });
    expect([a.status, b.status]).toEqual([200, 200]);
    await s.h.graph.waitFor((g) => g.sent.find((m) => m.text === 'Only once please'), 5000);
    await expect.poll(() => s.threadTexts(thread).filter((t) => t === 'Are you there?').length, { timeout: 5000 }).toBe(1);
    // Let a duplicate surface, if there were one, before counting.
    await new Promise((r) => setTimeout(r, 1500));
    expect(s.h.graph.sent.filter((m) => m.text === 'Only once please')).toHaveLength(1);
    expect(s.threadTexts(thread).filter((t) => t === 'Are you there?')).toHaveLength(1);
  });

  it('refuses bad signatures with 401 and no effect', async () => {
    const thread = await s.threadWith('Hello, my order #118 never arrived');
    const callsBefore = s.callCount();
    const sentBefore = s.h.graph.sent.length;
    const wa = await customer.customerWrites('491700000001', 'forged', { signature: `sha256=${'0'.repeat(64)}` });
    const waMissing = await customer.customerWrites('491700000002', 'unsigned', { signature: null });
    const forged = await s.forgedDelivery(thread);
    expect([wa.status, waMissing.status, forged]).toEqual([401, 401, 401]);
    await new Promise((r) => setTimeout(r, 500));
    expect(s.callCount()).toBe(callsBefore);
    expect(s.h.graph.sent.length).toBe(sentBefore);
  });

  it('refuses a reply after 24 hours with a message in the thread, and sends nothing', async () => {
    await customer.customerWrites('491709999999', 'Late question about my invoice', { name: 'Bo' });
    const thread = await s.threadWith('Late question about my invoice');
    s.h.clock.advance(24 * 3600_000 + 60_000);
    try {
      const sentBefore = s.h.graph.sent.length;
      await s.agentWrites(s.users.seat, thread, 'Here is your invoice');
      await expect.poll(() => s.threadTexts(thread).join('\n'), { timeout: 5000 }).toContain('24 hours');
      expect(s.h.graph.sent.length).toBe(sentBefore);
    } finally {
      s.h.clock.advance(-(24 * 3600_000 + 60_000));
    }
  });
});
