import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../support/actions.js';
import type { StoreKind } from '../support/start-desk.js';
import { startWechatDesk, type WechatDesk } from '../support/start-wechat-desk.js';
import { kfEvent, kfMessage, type KfMessage } from '../fakes/wecom/index.js';
import type { Conversation } from '../../src/core/model.js';

const ALICE = 'wmAliceExternalUser0001';
const BOB = 'wmBobExternalUser000002';
const CAROL = 'wmCarolExternalUser0003';
const DAVE = 'wmDaveExternalUser00004';

/**
 * Issue 14's acceptance, end to end: the real app (HTTP server, Slack app,
 * outbox, store) with WeChat configured against the WeCom fake, which sends
 * encrypted callbacks and serves sync_msg pages, send_msg and the rest as
 * WeCom does. Pages hold 2 messages here, so a pull spans several pages.
 */
describe.each<StoreKind>(['embedded', 'redis'])('WeChat Customer Service end to end, %s store', (store) => {
  let w: WechatDesk;
  beforeAll(async () => { w = await startWechatDesk({ store, pageLimit: 2 }); });
  afterAll(async () => { await w?.close(); });

  const slackTexts = () => w.h.slack.messages.map((m) => m.text);
  const countIn = (texts: string[], text: string) => texts.filter((t) => t.includes(text)).length;
  const threadTs = async (customer: string) => (await w.conversationOf(customer))!.thread!.thread;
  const sentTo = (customer: string) => w.fake.sent.filter((s) => s.touser === customer);
  /** The conversation's thread replies, as the Slack fake holds them. */
  const threadOf = async (customer: string) => {
    const conv = (await w.conversationOf(customer))!;
    return w.h.slack.threadReplies(conv.thread!.channel, conv.thread!.thread).map((m) => m.text);
  };
  const waitForCustomerTexts = (customer: string, expected: string[]) =>
    expect.poll(() => w.customerTexts(customer), { timeout: 8000 }).toEqual(expected);
  const agentReplies = async (customer: string, text: string) => {
    const res = await actions(w.h).slackThreadMessage('U0AGENT', await threadTs(customer), text);
    expect(res.status).toBe(200);
  };
  const push = (...messages: KfMessage[]) => w.fake.push(...messages);
  /** The header card's text as the Slack fake holds it (its blocks included). */
  const headerOf = async (customer: string) => {
    const conv = (await w.conversationOf(customer))!;
    return JSON.stringify(w.h.slack.message(conv.thread!.channel, conv.thread!.header));
  };

  it('answers the URL verification with the plaintext echo and nothing else', async () => {
    const v = await w.fake.verifyCallbackUrl({ echo: '1616140317555161061' });
    expect(v.status).toBe(200);
    expect(v.body).toBe('1616140317555161061');
    expect(v.elapsedMs).toBeLessThan(1000);
  });

  it('pulls over several pages (one empty) and mirrors each customer in one thread, in order', async () => {
    push(
      kfMessage.text(w.fake.base(ALICE), 'A1 my parcel is late'),
      kfMessage.text(w.fake.base(BOB), 'B1 你好，我想退款'),
      kfMessage.text(w.fake.base(ALICE), 'A2 order 4411'),
      kfMessage.servicerText(w.fake.base(ALICE), 'servicer01', 'S1 typed in the WeCom client'),
      kfMessage.text(w.fake.base(BOB), 'B2 订单号 778'),
      kfMessage.location(w.fake.base(ALICE), { latitude: 31.23, longitude: 121.47, name: 'The Bund', address: 'Zhongshan East 1st Rd' }),
    );
    w.fake.emptyPages(1);
    const delivery = await w.fake.deliverKfCallback();
    expect(delivery.status).toBe(200);
    expect(delivery.elapsedMs).toBeLessThan(5000);
    await waitForCustomerTexts(ALICE, ['A1 my parcel is late', 'A2 order 4411', expect.stringContaining('The Bund') as unknown as string]);
    await waitForCustomerTexts(BOB, ['B1 你好，我想退款', 'B2 订单号 778']);
    const syncs = w.fake.requests.filter((r) => r.path === '/cgi-bin/kf/sync_msg');
    // 6 items in pages of 2, plus the empty page: at least four pages, each with the callback's token.
    expect(syncs.length).toBeGreaterThanOrEqual(4);
    expect(syncs.every((r) => (r.body as { token?: string }).token === delivery.syncToken)).toBe(true);
    const alice = (await w.conversationOf(ALICE))!;
    const bob = (await w.conversationOf(BOB))!;
    expect(alice.id).not.toBe(bob.id);
    expect(alice.account).toBe(w.fake.openKfId);
    await expect.poll(async () => (await threadOf(ALICE)).join('\n'), { timeout: 8000 }).toMatch(/A1 my parcel is late[\s\S]*A2 order 4411[\s\S]*The Bund/);
    await expect.poll(async () => (await threadOf(BOB)).join('\n'), { timeout: 8000 }).toMatch(/B1 你好，我想退款[\s\S]*B2 订单号 778/);
    expect((await threadOf(ALICE)).join('\n')).not.toContain('B1');
    // What a servicer typed in the WeCom client is never shown as the customer's.
    expect(slackTexts().join('\n')).not.toContain('S1 typed in the WeCom client');
  });

  it('posts nothing twice for a repeated callback or a re-served msgid', async () => {
    await w.fake.replayCallback(w.fake.callbacks.find((c) => c.kind === 'kf_msg_or_event')!);
    w.fake.rewind(4);
    push(kfMessage.text(w.fake.base(ALICE), 'A3 any news?'));
    expect((await w.fake.deliverKfCallback()).status).toBe(200);
    await waitForCustomerTexts(ALICE, ['A1 my parcel is late', 'A2 order 4411', expect.stringContaining('The Bund') as unknown as string, 'A3 any news?']);
    await expect.poll(() => countIn(slackTexts(), 'A3 any news?'), { timeout: 8000 }).toBe(1);
    for (const t of ['A1 my parcel is late', 'A2 order 4411', 'B1 你好，我想退款', 'B2 订单号 778']) expect(countIn(slackTexts(), t)).toBe(1);
    expect(await w.customerTexts(BOB)).toEqual(['B1 你好，我想退款', 'B2 订单号 778']);
  });

  it("sends an agent's thread reply with send_msg to the customer's external_userid from the account", async () => {
    await agentReplies(ALICE, 'R1 checking your order now');
    const sent = await w.fake.waitFor((f) => f.sent.find((s) => s.content === 'R1 checking your order now'), 8000);
    expect(sent.touser).toBe(ALICE);
    expect(sent.openKfId).toBe(w.fake.openKfId);
    expect(sent.msgtype).toBe('text');
    // The session was moved to the smart assistant (1), where API sends are allowed.
    expect(w.fake.serviceState(ALICE).state).toBe(1);
  });

  it('refreshes an expired access token once and still sends the reply once', async () => {
    const tokensBefore = w.fake.requests.filter((r) => r.path === '/cgi-bin/gettoken').length;
    w.fake.expireAccessTokens();
    await agentReplies(ALICE, 'R2 after the token expired');
    await w.fake.waitFor((f) => f.sent.find((s) => s.content === 'R2 after the token expired'), 8000);
    expect(w.fake.requests.some((r) => r.errcode === 42001)).toBe(true);
    expect(w.fake.requests.filter((r) => r.path === '/cgi-bin/gettoken').length).toBe(tokensBefore + 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(w.fake.sent.filter((s) => s.content === 'R2 after the token expired')).toHaveLength(1);
  });

  it('refuses the sixth reply after a customer message before sending, says why, and a new customer message restores the allowance', async () => {
    for (const text of ['R3', 'R4']) {
      await agentReplies(ALICE, `${text} more details`);
      await w.fake.waitFor((f) => f.sent.find((s) => s.content === `${text} more details`), 8000);
    }
    // One reply left, and this one needs two messages of 2048 bytes: none of it is sent.
    await agentReplies(ALICE, '长'.repeat(1000));
    await expect.poll(async () => (await threadOf(ALICE)).join('\n'), { timeout: 8000 }).toContain('needs 2 of them, but only 1 of the 5 replies');
    expect(sentTo(ALICE)).toHaveLength(4);
    await agentReplies(ALICE, 'R5 more details');
    await w.fake.waitFor((f) => f.sent.find((s) => s.content === 'R5 more details'), 8000);
    expect(sentTo(ALICE)).toHaveLength(5);
    expect(w.fake.allowanceLeft(ALICE)).toBe(0);
    await expect.poll(() => headerOf(ALICE), { timeout: 8000 }).toContain('no replies left');
    const sendsBefore = w.fake.requests.filter((r) => r.path === '/cgi-bin/kf/send_msg').length;
    await agentReplies(ALICE, 'R6 one too many');
    await expect.poll(async () => (await threadOf(ALICE)).join('\n'), { timeout: 8000 }).toContain('allows only 5 replies');
    // Refused by the desk: WeCom never saw the sixth.
    expect(w.fake.requests.filter((r) => r.path === '/cgi-bin/kf/send_msg').length).toBe(sendsBefore);
    expect(sentTo(ALICE).map((s) => s.content)).not.toContain('R6 one too many');

    push(kfMessage.text(w.fake.base(ALICE), 'A4 thanks, one more question'));
    await w.fake.deliverKfCallback();
    await expect.poll(async () => (await w.customerTexts(ALICE)).at(-1), { timeout: 8000 }).toBe('A4 thanks, one more question');
    await agentReplies(ALICE, 'R7 after the customer wrote again');
    const sent = await w.fake.waitFor((f) => f.sent.find((s) => s.content === 'R7 after the customer wrote again'), 8000);
    expect(sent.touser).toBe(ALICE);
    // The header shows what is left: 4 of 5 after one reply.
    await expect.poll(() => headerOf(ALICE), { timeout: 8000 }).toContain('4 replies left');
  });

  it('splits a reply longer than 2048 bytes into send_msg texts of at most 2048 bytes, in order', async () => {
    const long = `${'退款处理中。'.repeat(150)}END`;
    await agentReplies(BOB, long);
    await w.fake.waitFor((f) => f.sent.filter((s) => s.touser === BOB).length >= 2 ? true : undefined, 8000);
    const parts = sentTo(BOB).map((s) => s.content!);
    expect(parts).toHaveLength(2);
    for (const p of parts) expect(Buffer.byteLength(p, 'utf8')).toBeLessThanOrEqual(2048);
    expect(parts.join('')).toBe(long);
  });

  it('tells the thread when a servicer holds the session in the WeCom client, without sending', async () => {
    w.fake.setServiceState(BOB, 3, 'servicer01');
    const before = sentTo(BOB).length;
    await agentReplies(BOB, 'R8 to a session the WeCom client holds');
    await expect.poll(async () => (await threadOf(BOB)).join('\n'), { timeout: 8000 }).toContain('WeCom client');
    expect(sentTo(BOB)).toHaveLength(before);
  });

  it('reports a msg_send_fail event in the thread of the reply that failed, once', async () => {
    const failed = sentTo(ALICE).find((s) => s.content === 'R7 after the customer wrote again')!;
    push(kfEvent.msgSendFail(w.fake.base(ALICE), failed.msgid, 10));
    await w.fake.deliverKfCallback();
    await expect.poll(async () => (await threadOf(ALICE)).join('\n'), { timeout: 8000 }).toContain('the customer refused messages');
    w.fake.rewind(1);
    await w.fake.deliverKfCallback();
    await new Promise((r) => setTimeout(r, 500));
    expect(countIn(await threadOf(ALICE), 'the customer refused messages')).toBe(1);
  });

  it("uploads a customer's image into the thread with the bytes from media/get", async () => {
    const bytes = Buffer.from('\xff\xd8\xff\xe0 a small jpeg for the test', 'latin1');
    const mediaId = w.fake.addMedia(bytes, { type: 'image', contentType: 'image/jpeg', filename: 'parcel.jpg' });
    push(kfMessage.text(w.fake.base(CAROL), 'C1 the box arrived broken'), kfMessage.image(w.fake.base(CAROL), mediaId));
    await w.fake.deliverKfCallback();
    const upload = await w.h.slack.waitFor((s) => s.files.find((f) => f.completed && f.bytes?.equals(bytes)), 8000);
    expect(upload.thread_ts).toBe(await threadTs(CAROL));
    expect(w.fake.requests.some((r) => r.path === '/cgi-bin/media/get' && r.query.media_id === mediaId)).toBe(true);
  });

  it('after a restart, the next sync starts from the stored cursor', async () => {
    const storedCursor = await w.h.app.store.getString(`wechat:cursor:${w.fake.openKfId}`);
    expect(storedCursor).toBeTruthy();
    await w.restart();
    push(kfMessage.text(w.fake.base(ALICE), 'A5 back after your restart'));
    const before = w.fake.requests.length;
    await w.fake.deliverKfCallback();
    await expect.poll(async () => (await w.customerTexts(ALICE)).at(-1), { timeout: 8000 }).toBe('A5 back after your restart');
    const firstSync = w.fake.requests.slice(before).find((r) => r.path === '/cgi-bin/kf/sync_msg')!;
    expect((firstSync.body as { cursor: string }).cursor).toBe(storedCursor);
    await expect.poll(() => countIn(slackTexts(), 'A5 back after your restart'), { timeout: 8000 }).toBe(1);
    expect(countIn(slackTexts(), 'A1 my parcel is late')).toBe(1);
  });

  it('goes on with a pull that a restart interrupted, without waiting for another callback', async () => {
    const texts = Array.from({ length: 6 }, (_, i) => `D${i} message before the restart`);
    push(...texts.map((t) => kfMessage.text(w.fake.base(DAVE), t)));
    w.fake.latencyMs = 300;
    const before = w.fake.requests.length;
    await w.fake.deliverKfCallback();
    await w.fake.waitFor((f) => f.requests.slice(before).some((r) => r.path === '/cgi-bin/kf/sync_msg'), 5000);
    // Stops after the page in flight: the pull is left pending in the store.
    await w.h.app.shutdown();
    w.fake.latencyMs = 0;
    const syncsBefore = w.fake.requests.slice(before).filter((r) => r.path === '/cgi-bin/kf/sync_msg').length;
    expect(syncsBefore).toBeLessThan(3);
    await w.restart({ alreadyStopped: true });
    await waitForCustomerTexts(DAVE, texts);
  });
});

describe('WeChat routing', () => {
  let w: WechatDesk;
  afterAll(async () => { await w?.close(); });

  it('routes a rule with channel wechat and the open_kfid as account to its queue', async () => {
    const yaml = `queues:
  - name: default
    assignment: manual
  - name: wechat-shop
    assignment: manual
routing:
  rules:
    - queue: wechat-shop
      channel: wechat
      account: "wkTestAccount0000000000001"
`;
    w = await startWechatDesk({ store: 'embedded', yaml });
    w.fake.push(kfMessage.text(w.fake.base('wmRouted000001'), 'Where is my order?'));
    await w.fake.deliverKfCallback();
    await expect.poll(() => w.conversationOf('wmRouted000001'), { timeout: 8000 }).toBeTruthy();
    const conv = (await w.conversationOf('wmRouted000001')) as Conversation;
    expect(conv.queue).toBe('wechat-shop');
  });
});

describe('WeChat welcome on entry', () => {
  let w: WechatDesk;
  afterAll(async () => { await w?.close(); });

  it("greets a customer who entered the session with send_msg_on_event and the queue's welcome, and their first message gets no second one", async () => {
    const yaml = `queues:
  - name: default
    assignment: manual
    language: zh-CN
    welcome:
      - text: "欢迎光临，{customer_name}！"
`;
    w = await startWechatDesk({ store: 'embedded', yaml });
    const customer = 'wmEntered000001';
    w.fake.push(kfEvent.enterSession(w.fake.base(customer), { welcomeCode: 'WELCOME-E2E' }));
    await w.fake.deliverKfCallback();
    await expect.poll(() => w.fake.eventSends.map((e) => [e.code, e.touser, e.content]), { timeout: 8000 }).toEqual([['WELCOME-E2E', customer, '欢迎光临，亲！']]);
    // The customer writes: mirrored, and no welcome again through send_msg (it would cost one of their 5 replies).
    w.fake.push(kfMessage.text(w.fake.base(customer), '你好'));
    await w.fake.deliverKfCallback();
    await expect.poll(() => w.customerTexts(customer), { timeout: 8000 }).toEqual(['你好']);
    await new Promise((r) => setTimeout(r, 500));
    expect(w.fake.sent.filter((m) => m.touser === customer)).toEqual([]);
    // A customer who writes without entering first gets the welcome with their first message.
    w.fake.push(kfMessage.text(w.fake.base('wmDirect000001'), 'hello'));
    await w.fake.deliverKfCallback();
    await expect.poll(() => w.fake.sent.filter((m) => m.touser === 'wmDirect000001').map((m) => m.content), { timeout: 8000 }).toEqual(['欢迎光临，亲！']);
  });
});
