import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriverSession, MessengerDriver } from '../support/messenger-driver.js';
import { SECRETS } from '../support/start-desk.js';
import { slackDriver } from '../support/drivers/slack.js';
import { discordDriver } from '../support/drivers/discord.js';
import { telegramDriver } from '../support/drivers/telegram.js';

const DRIVERS: MessengerDriver[] = [slackDriver, discordDriver, telegramDriver('webhook')];

/** Security alerts reach security staff as DMs on whichever messenger they use (issue 6 acceptance). */
describe.each(DRIVERS.map((driver) => ({ driver, name: driver.name })))('security alert DMs on $name', ({ driver }) => {
  let s: DriverSession;
  beforeAll(async () => {
    s = await driver.start('embedded');
    // The driver's second person becomes security staff on this messenger.
    await s.h.app.desk.seats.save({
      id: `${driver.name}-security`, name: 'Sec', bindings: [{ platform: driver.name, userId: s.users.stranger }], roles: ['security'],
      departments: ['default'], queues: ['default'], maxChats: 5, presence: 'online', enabled: true, createdAt: Date.now(),
    });
  });
  afterAll(async () => { await s?.h.close(); });

  it('sends the security seat a DM with the rule, and not again within the quiet period', async () => {
    const actor = `mallory-${driver.name}@example.com`;
    const post = (i: number) => {
      const raw = JSON.stringify({ id: `${driver.name}-${i}`, type: 'login.failure', actor, at: new Date(s.h.clock.now() - (10 - i) * 1000).toISOString(), ip: '198.51.100.7' });
      return fetch(`${s.h.app.url}/api/security-events`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature': `sha256=${createHmac('sha256', SECRETS.apiSecret).update(raw).digest('hex')}` }, body: raw });
    };
    for (let i = 0; i < 6; i++) expect((await post(i)).status).toBe(202);
    await expect.poll(() => s.privateTextsTo(s.users.stranger).filter((t) => t.includes(actor)).length, { timeout: 8000 }).toBe(1);
    const dm = s.privateTextsTo(s.users.stranger).find((t) => t.includes(actor))!;
    expect(dm).toContain('failed-login-burst');
    expect(dm).toMatch(/alerts ack [0-9a-f]+/);
    await new Promise((r) => setTimeout(r, 1000));
    expect(s.privateTextsTo(s.users.stranger).filter((t) => t.includes(actor))).toHaveLength(1);
  });
});
