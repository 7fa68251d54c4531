import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriverSession, MessengerDriver } from '../support/messenger-driver.js';
import { actions } from '../support/actions.js';
import { SECRETS } from '../support/start-desk.js';
import { discordDriver } from '../support/drivers/discord.js';
import { telegramDriver } from '../support/drivers/telegram.js';
import type { Conversation, Seat } from '../../src/core/model.js';

const DRIVERS: MessengerDriver[] = [telegramDriver('webhook'), discordDriver];

/** Refunds get least-busy assignment (on the messenger's channel); the default queue is claimed by hand. */
const YAML = `queues:
  - name: default
    assignment: manual
  - name: refunds
    department: after-sales
    assignment: least_busy
routing:
  rules:
    - queue: refunds
      keywords: ["#refund", "退款"]
`;

/**
 * Issue 12's acceptance on Telegram and Discord, through their real SDKs and
 * fakes: routing by keyword, one conversation each to two agents at max=1
 * (each agent's reply reaches only their customer), a third waits and goes
 * to whoever closes first.
 */
describe.each(DRIVERS.map((driver) => ({ driver, name: `${driver.name}${driver.variant ? ` (${driver.variant})` : ''}` })))('routing and assignment on $name', ({ driver }) => {
  let s: DriverSession;
  let one: Seat;
  let two: Seat;
  beforeAll(async () => {
    s = await driver.start('embedded', { yaml: YAML });
    const d = s.h.app.desk;
    // The bootstrap admin joins the refunds queue; a second agent is added. Ids sort `a-…` < `b-…`.
    const admin = (await d.seats.ofActor({ platform: driver.name, userId: s.users.seat }))!;
    await d.seats.remove(admin);
    one = { ...admin, id: `a-${driver.name}`, name: 'Ann', departments: ['after-sales'], queues: ['refunds'], maxChats: 1, presence: 'online' };
    two = { ...one, id: `b-${driver.name}`, name: 'Ben', roles: ['agent'], bindings: [{ platform: driver.name, userId: s.users.stranger }] };
    await d.seats.save(one);
    await d.seats.save(two);
    await s.h.app.assignment.idle();
  });
  afterAll(async () => { await s?.h.close(); });

  const convOf = async (phone: string): Promise<Conversation> => {
    const d = s.h.app.desk;
    let found: Conversation | undefined;
    await expect.poll(async () => {
      const id = await s.h.app.store.getString(`conv-of:whatsapp:${SECRETS.phoneNumberId}:${phone}`);
      found = id ? await d.conversations.get(id) : undefined;
      return found?.status;
    }, { timeout: 5000 }).toBe('open');
    return found!;
  };

  it('routes #refund, gives one conversation to each agent at max=1, makes the third wait and hands it over when one closes', async () => {
    const d = s.h.app.desk;
    const customer = actions(s.h);
    expect((await customer.customerWrites('15550000111', 'my #refund please')).status).toBe(200);
    await s.h.app.assignment.idle();
    expect((await customer.customerWrites('15550000222', '我要退款')).status).toBe(200);
    await s.h.app.assignment.idle();
    const a = await convOf('15550000111');
    const b = await convOf('15550000222');
    expect([a.queue, b.queue]).toEqual(['refunds', 'refunds']);
    await expect.poll(() => d.conversations.claimer(a.id), { timeout: 5000 }).toBe(one.id);
    await expect.poll(() => d.conversations.claimer(b.id), { timeout: 5000 }).toBe(two.id);
    const threadA = await s.threadWith('my #refund please');
    const threadB = await s.threadWith('我要退款');
    await expect.poll(() => s.threadTexts(threadA).join('\n'), { timeout: 5000 }).toContain('Assigned to Ann');
    await expect.poll(() => s.headerText(threadB), { timeout: 5000 }).toContain('Ben');
    expect(s.headerText(threadA)).toContain('refunds');

    // Each one's plain reply reaches only their own customer.
    const before = s.h.graph.sent.length;
    await s.agentWrites(s.users.seat, threadA, 'Ann: on its way');
    await s.agentWrites(s.users.stranger, threadB, 'Ben: 处理中');
    await expect.poll(() => s.h.graph.sent.length - before, { timeout: 5000 }).toBe(2);
    expect(s.h.graph.sent.slice(before).map((m) => [m.waId, m.text]).sort()).toEqual([['15550000111', 'Ann: on its way'], ['15550000222', 'Ben: 处理中']]);

    // A third waits; Ben closes his: it is Ben's.
    expect((await customer.customerWrites('15550000333', '#refund three')).status).toBe(200);
    await s.h.app.assignment.idle();
    const c = await convOf('15550000333');
    expect(await d.conversations.claimer(c.id)).toBeUndefined();
    await s.agentWrites(s.users.stranger, threadB, '!close');
    await expect.poll(() => d.conversations.claimer(c.id), { timeout: 5000 }).toBe(two.id);
  });
});
