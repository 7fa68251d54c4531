import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriverSession, MessengerDriver } from '../support/messenger-driver.js';
import { SECRETS } from '../support/start-desk.js';
import { actions } from '../support/actions.js';
import { slackDriver } from '../support/drivers/slack.js';
import { botLines, startTelegramDesk, TELEGRAM_USERS, telegramDriver } from '../support/drivers/telegram.js';

const DRIVERS: MessengerDriver[] = [slackDriver, telegramDriver('webhook')];

/** The desk speaks English; the default queue (its header cards and thread notices) speaks Chinese. */
const YAML = `desk:
  language: en
queues:
  - name: default
    language: zh-CN
    assignment: manual
  - name: night
    language: zh-CN
    assignment: manual
    hours: { time_zone: Asia/Shanghai, days: [], open: "09:00", close: "18:00" }
routing:
  rules:
    - queue: night
      keywords: ["几点上班"]
`;

/**
 * Issue 11's acceptance, end to end on the real SDKs against the fakes: in one
 * channel, a zh-CN seat reads its refusals and alerts in Chinese while an en
 * seat reads English; the zh-CN queue's header card and notices are Chinese.
 */
describe.each(DRIVERS.map((driver) => ({ driver, name: `${driver.name}${driver.variant ? ` (${driver.variant})` : ''}` })))('languages on $name', ({ driver }) => {
  let s: DriverSession;
  let customer: ReturnType<typeof actions>;
  let thread: string;
  const zhSeat = () => s.users.seat;
  const enSeat = () => s.users.stranger;
  const privately = (user: string) => s.privateTextsTo(user).join('\n');

  beforeAll(async () => {
    s = await driver.start('embedded', { yaml: YAML });
    customer = actions(s.h);
    // Both receive security alerts: the bootstrap admin (who will choose Chinese) and an English-speaking agent.
    const admin = await s.h.app.desk.seats.ofActor({ platform: driver.name, userId: zhSeat() });
    await s.h.app.desk.seats.save({ ...admin!, roles: [...admin!.roles, 'security'] });
    await s.h.app.desk.seats.save({
      id: `${driver.name}-sam`, name: 'Sam', bindings: [{ platform: driver.name, userId: enSeat() }], roles: ['agent', 'security'],
      departments: ['default'], queues: ['default'], maxChats: 5, presence: 'online', enabled: true, createdAt: Date.now(), lang: 'en',
    });
  });
  afterAll(async () => { await s?.h.close(); });

  it('shows the header card of a zh-CN queue in Chinese, buttons included', async () => {
    expect((await customer.customerWrites('8613800138000', '你好，我的订单还没到', { name: 'Li Wei' })).status).toBe(200);
    thread = await s.threadWith('你好，我的订单还没到');
    const header = s.headerText(thread);
    expect(header).toContain('🟡 等待客服接入');
    expect(header).toContain('认领');
    expect(header).not.toContain('Waiting for an agent');
  });

  it('sets a seat\'s own language with /lang (in a thread, as !lang) and answers in it', async () => {
    await s.agentWrites(zhSeat(), thread, '!lang zh');
    await expect.poll(() => privately(zhSeat()), { timeout: 5000 }).toContain('你的语言已设为 zh-CN');
    await s.agentWrites(zhSeat(), thread, '!help');
    await expect.poll(() => privately(zhSeat()), { timeout: 5000 }).toContain('— 认领本话题中的会话 (!认领)');
    await s.agentWrites(enSeat(), thread, '!lang fr');
    await expect.poll(() => privately(enSeat()), { timeout: 5000 }).toContain('"fr" is not a language this desk speaks. Use one of: en, zh-CN.');
  });

  it('tells the zh-CN seat in Chinese, and the en seat in English, that the chat is claimed', async () => {
    // Sam (en) answers first and so claims the conversation; the thread notice follows the queue (Chinese).
    await s.agentWrites(enSeat(), thread, 'Hello Li Wei, I am looking into it.');
    await s.h.graph.waitFor((g) => g.sent.find((m) => m.text === 'Hello Li Wei, I am looking into it.'), 5000);
    await expect.poll(() => s.threadTexts(thread).join('\n'), { timeout: 5000 }).toContain('🙋 Sam 第一个回复，现由其负责这个会话。');
    await expect.poll(() => s.headerText(thread), { timeout: 5000 }).toContain('🟢 已由 Sam 认领');

    const sentBefore = s.h.graph.sent.length;
    await s.agentWrites(zhSeat(), thread, '我来处理吧');
    await expect.poll(() => privately(zhSeat()), { timeout: 5000 }).toContain('这个会话已被 Sam 认领，因此你的消息只在内部可见。');
    // The Chinese alias of !claim: refused, in Chinese, naming the holder.
    await s.agentWrites(zhSeat(), thread, '!认领');
    await expect.poll(() => privately(zhSeat()), { timeout: 5000 }).toContain('Sam 已经认领了这个会话。');
    // The en seat in the same channel reads English.
    await s.agentWrites(enSeat(), thread, '!认领');
    await expect.poll(() => privately(enSeat()), { timeout: 5000 }).toContain('You already have this conversation.');
    expect(privately(enSeat())).not.toMatch(/[\u4e00-\u9fff]{2}/);
    expect(s.h.graph.sent.length).toBe(sentBefore);
  });

  it('keeps !备注 internal, as a note', async () => {
    const sentBefore = s.h.graph.sent.length;
    await s.agentWrites(enSeat(), thread, '!备注 customer is a VIP');
    await s.agentWrites(enSeat(), thread, 'Your parcel left the warehouse today.');
    await s.h.graph.waitFor((g) => g.sent.find((m) => m.text === 'Your parcel left the warehouse today.'), 5000);
    expect(s.h.graph.sent.slice(sentBefore).map((m) => m.text)).toEqual(['Your parcel left the warehouse today.']);
  });

  it('answers the customer of a zh-CN queue in Chinese (the away reply, the desk\'s own words to customers)', async () => {
    expect((await customer.customerWrites('8613900139000', '请问几点上班？', { name: '张伟' })).status).toBe(200);
    await s.h.graph.waitFor((g) => g.sent.find((m) => m.waId === '8613900139000'), 8000);
    expect(s.h.graph.sent.filter((m) => m.waId === '8613900139000').map((m) => m.text)).toEqual(['张伟您好，感谢您的留言。我们现在不在服务时间，恢复服务后会尽快回复您。']);
  });

  it('sends a security alert in Chinese to the zh-CN seat and in English to the en seat', async () => {
    const actor = `mallory-${driver.name}@example.com`;
    for (let i = 0; i < 6; i++) {
      const raw = JSON.stringify({ id: `lang-${driver.name}-${i}`, type: 'login.failure', actor, at: new Date(s.h.clock.now() - (10 - i) * 1000).toISOString(), ip: '198.51.100.7' });
      const res = await fetch(`${s.h.app.url}/api/security-events`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature': `sha256=${createHmac('sha256', SECRETS.apiSecret).update(raw).digest('hex')}` }, body: raw });
      expect(res.status).toBe(202);
    }
    const alertTo = (user: string) => s.privateTextsTo(user).find((t) => t.includes(actor));
    await expect.poll(() => alertTo(zhSeat()), { timeout: 8000 }).toBeDefined();
    await expect.poll(() => alertTo(enSeat()), { timeout: 8000 }).toBeDefined();
    expect(alertTo(zhSeat())).toContain('🚨 *中* 登录失败次数过多');
    expect(alertTo(zhSeat())).toMatch(/请点击“确认”，或输入 \/alerts ack [0-9a-f]+/);
    expect(alertTo(enSeat())).toContain('🚨 *MEDIUM* Many failed logins');
    expect(alertTo(enSeat())).toMatch(/press Acknowledge, or type \/alerts ack [0-9a-f]+/);
  });
});

/** Someone with no seat is answered in the language their Telegram client reports (`from.language_code`). */
describe('languages on telegram: a stranger', () => {
  const STRANGER = 1003;
  let h: Awaited<ReturnType<typeof startTelegramDesk>>['h'];
  let fake: Awaited<ReturnType<typeof startTelegramDesk>>['fake'];
  beforeAll(async () => {
    ({ h, fake } = await startTelegramDesk('embedded', {
      mode: 'webhook',
      fake: { users: [
        { id: TELEGRAM_USERS.seat, first_name: 'Alex', username: 'alex_agent', language_code: 'en' },
        { id: STRANGER, first_name: '伟', username: 'wei_zh', language_code: 'zh-hans' },
        { id: TELEGRAM_USERS.customer, first_name: 'Casey', username: 'casey_customer', language_code: 'en' },
      ] },
    }));
  });
  afterAll(async () => { await h?.close(); });

  it('refuses a stranger in Chinese when their client is Chinese, though the desk speaks English', async () => {
    expect((await fake.userStartsBot(STRANGER)).status).toBe(200);
    expect((await actions(h).customerWrites('491701234599', 'Where is my parcel?', { name: 'Ana' })).status).toBe(200);
    const topic = await fake.waitFor((f) => f.topics.find((t) => botLines(f, t.message_thread_id).includes('Where is my parcel?')), 10_000);
    await fake.userWritesInTopic(STRANGER, topic.message_thread_id, '我可以处理');
    await fake.waitFor((f) => f.privateMessagesTo(STRANGER).find((m) => m.text?.includes('你还不是本客服台的坐席')), 5000);
    expect(h.graph.sent.map((m) => m.text)).not.toContain('我可以处理');
  });
});
