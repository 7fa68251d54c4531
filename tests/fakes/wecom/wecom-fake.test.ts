import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readEncryptedEnvelope, readKfMsgOrEvent } from '../../../src/channels/wechat/callback-xml.js';
import { decrypt, verifyMsgSignature } from '../../../src/channels/wechat/crypto.js';
import { INVALID_EVENT_CODE, RECALL_REFUSED, kfEvent, kfMessage, startWecomFake, type KfMessage, type WecomFake, type WecomFakeOptions } from './index.js';

const START = Date.UTC(2026, 0, 5, 9, 0, 0);
const HOUR = 3600_000;
const CUSTOMER = 'wmAbCdEfGhIjKlMnOpQrStUvWxYz012';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

interface Harness {
  fake: WecomFake;
  clock: { now: number };
  /** GET a path with a query; the parsed JSON answer. */
  get(path: string, query?: Record<string, string>): Promise<Record<string, unknown>>;
  /** POST JSON to an API path with the current access token. */
  post(path: string, body: unknown, token?: string): Promise<Record<string, unknown>>;
  token(): Promise<string>;
}

async function harness(extra: WecomFakeOptions = {}): Promise<Harness> {
  const clock = { now: START };
  const fake = await startWecomFake({ now: () => clock.now, ...extra });
  cleanups.push(() => fake.close());
  const get = async (path: string, query: Record<string, string> = {}) => {
    const res = await fetch(`${fake.url}${path}?${new URLSearchParams(query).toString()}`);
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };
  const token = async () => {
    const answer = await get('/cgi-bin/gettoken', { corpid: fake.corpId, corpsecret: fake.corpSecret });
    return answer.access_token as string;
  };
  const post = async (path: string, body: unknown, given?: string) => {
    const accessToken = given ?? (await token());
    const res = await fetch(`${fake.url}${path}?access_token=${encodeURIComponent(accessToken)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };
  return { fake, clock, get, post, token };
}

function customerText(h: Harness, content: string, customer = CUSTOMER): KfMessage {
  return kfMessage.text(h.fake.base(customer, { atMs: h.clock.now }), content);
}

describe('gettoken and access tokens', () => {
  it('issues a token for the right corp id and secret, the same one while it is valid', async () => {
    const h = await harness();
    const first = await h.get('/cgi-bin/gettoken', { corpid: h.fake.corpId, corpsecret: h.fake.corpSecret });
    expect(first).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
    expect(typeof first.access_token).toBe('string');
    h.clock.now += HOUR;
    const second = await h.get('/cgi-bin/gettoken', { corpid: h.fake.corpId, corpsecret: h.fake.corpSecret });
    expect(second).toMatchObject({ access_token: first.access_token, expires_in: 3600 });
    expect(h.fake.accessTokens.issuedCount).toBe(1);
  });

  it('answers 40013 for another corp id, 40001 for another secret, 41002/41004 when one is missing', async () => {
    const h = await harness();
    expect((await h.get('/cgi-bin/gettoken', { corpid: 'wwOther', corpsecret: h.fake.corpSecret })).errcode).toBe(40013);
    expect((await h.get('/cgi-bin/gettoken', { corpid: h.fake.corpId, corpsecret: 'wrong' })).errcode).toBe(40001);
    expect((await h.get('/cgi-bin/gettoken', { corpsecret: h.fake.corpSecret })).errcode).toBe(41002);
    expect((await h.get('/cgi-bin/gettoken', { corpid: h.fake.corpId })).errcode).toBe(41004);
    const error = await h.get('/cgi-bin/gettoken', { corpid: 'wwOther', corpsecret: 'x' });
    expect(error.errmsg).toMatch(/more info at https:\/\/open\.work\.weixin\.qq\.com\/devtool\/query\?e=40013/);
    expect(error.access_token).toBeUndefined();
  });

  it('answers 42001 once the token expired on the test clock, then issues a new one', async () => {
    const h = await harness({ tokenLifetimeMs: 60_000 });
    const old = await h.token();
    const body = { open_kfid: h.fake.openKfId, external_userid: CUSTOMER };
    expect((await h.post('/cgi-bin/kf/service_state/get', body, old)).errcode).toBe(0);
    h.clock.now += 60_000;
    expect((await h.post('/cgi-bin/kf/service_state/get', body, old)).errcode).toBe(42001);
    const fresh = await h.token();
    expect(fresh).not.toBe(old);
    expect((await h.post('/cgi-bin/kf/service_state/get', body, fresh)).errcode).toBe(0);
  });

  it('answers 40014 for a token it never issued or revoked, 41001 without one; expireAccessTokens gives 42001 at once', async () => {
    const h = await harness();
    const body = { open_kfid: h.fake.openKfId, external_userid: CUSTOMER };
    expect((await h.post('/cgi-bin/kf/service_state/get', body, 'made-up')).errcode).toBe(40014);
    const res = await fetch(`${h.fake.url}/cgi-bin/kf/service_state/get`, { method: 'POST', body: JSON.stringify(body) });
    expect(((await res.json()) as { errcode: number }).errcode).toBe(41001);
    const token = await h.token();
    h.fake.expireAccessTokens();
    expect((await h.post('/cgi-bin/kf/service_state/get', body, token)).errcode).toBe(42001);
    const next = await h.token();
    h.fake.revokeAccessTokens();
    expect((await h.post('/cgi-bin/kf/service_state/get', body, next)).errcode).toBe(40014);
  });
});

describe('kf/sync_msg', () => {
  /** One item of every kind, in order. */
  function fillLog(h: Harness): KfMessage[] {
    const base = () => h.fake.base(CUSTOMER, { atMs: h.clock.now });
    const items = [
      kfEvent.enterSession(base(), { welcomeCode: 'WELCOME1', scene: 'shop' }),
      kfMessage.text(base(), '你好，我想退款'),
      kfMessage.image(base(), h.fake.addMedia(Buffer.from('jpeg-bytes'), { type: 'image' })),
      kfMessage.voice(base(), h.fake.addMedia(Buffer.from('amr-bytes'), { type: 'voice', contentType: 'voice/amr', filename: 'v.amr' })),
      kfMessage.video(base(), h.fake.addMedia(Buffer.from('mp4-bytes'), { type: 'video', contentType: 'video/mp4', filename: 'v.mp4' })),
      kfMessage.file(base(), h.fake.addMedia(Buffer.from('pdf-bytes'), { type: 'file', contentType: 'application/pdf', filename: 'a.pdf' })),
      kfMessage.location(base(), { latitude: 23.1, longitude: 113.3, name: '广州塔', address: '广州市海珠区' }),
      kfMessage.link(base(), { title: 'Order', desc: 'My order', url: 'https://shop.example/o/1', pic_url: 'https://shop.example/p.png' }),
      kfMessage.servicerText(base(), 'zhangsan', 'typed in the WeCom client'),
      kfEvent.msgSendFail(base(), 'failed-msgid', 6),
      kfEvent.sessionStatusChange(base(), { changeType: 3, oldServicerUserId: 'zhangsan', msgCode: 'ENDCODE' }),
    ];
    h.fake.push(...items);
    return items;
  }

  async function syncAll(h: Harness, limit: number, token: string): Promise<Array<Record<string, unknown>>> {
    const pages: Array<Record<string, unknown>> = [];
    let cursor = '';
    for (let i = 0; i < 20; i += 1) {
      const page = await h.post('/cgi-bin/kf/sync_msg', { cursor, token, limit, open_kfid: h.fake.openKfId });
      pages.push(page);
      cursor = page.next_cursor as string;
      if (page.has_more !== 1) break;
    }
    return pages;
  }

  it('serves the log in pages of limit with opaque cursors and has_more, every kind in the reference shape', async () => {
    const h = await harness();
    const items = fillLog(h);
    const pages = await syncAll(h, 4, h.fake.issueSyncToken());
    expect(pages.map((p) => (p.msg_list as unknown[]).length)).toEqual([4, 4, 3]);
    expect(pages.map((p) => p.has_more)).toEqual([1, 1, 0]);
    const cursors = pages.map((p) => p.next_cursor as string);
    expect(new Set(cursors).size).toBe(3);
    for (const cursor of cursors) expect(cursor).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    const served = pages.flatMap((p) => p.msg_list as KfMessage[]);
    expect(served.map((m) => m.msgid)).toEqual(items.map((m) => m.msgid));

    const [enter, text, image, , , , location, link, servicer, fail, status] = served;
    expect(enter).toMatchObject({
      origin: 4,
      msgtype: 'event',
      event: { event_type: 'enter_session', open_kfid: h.fake.openKfId, external_userid: CUSTOMER, welcome_code: 'WELCOME1', scene: 'shop' },
    });
    expect(enter!.open_kfid).toBeUndefined();
    expect(text).toMatchObject({ origin: 3, msgtype: 'text', text: { content: '你好，我想退款' }, open_kfid: h.fake.openKfId, external_userid: CUSTOMER, send_time: START / 1000 });
    expect(image).toMatchObject({ origin: 3, msgtype: 'image', image: { media_id: expect.any(String) } });
    expect(location).toMatchObject({ msgtype: 'location', location: { latitude: 23.1, longitude: 113.3, name: '广州塔' } });
    expect(link).toMatchObject({ msgtype: 'link', link: { url: 'https://shop.example/o/1', pic_url: 'https://shop.example/p.png' } });
    expect(servicer).toMatchObject({ origin: 5, servicer_userid: 'zhangsan', msgtype: 'text' });
    expect(fail).toMatchObject({ origin: 4, event: { event_type: 'msg_send_fail', fail_msgid: 'failed-msgid', fail_type: 6 } });
    expect(status).toMatchObject({ event: { event_type: 'session_status_change', change_type: 3, msg_code: 'ENDCODE' } });
  });

  it('answers has_more 1 with an empty page when told to, then goes on from the same place', async () => {
    const h = await harness();
    const items = fillLog(h);
    h.fake.emptyPages(2);
    const pages = await syncAll(h, 100, h.fake.issueSyncToken());
    expect(pages.map((p) => [p.has_more, (p.msg_list as unknown[]).length])).toEqual([[1, 0], [1, 0], [0, items.length]]);
  });

  it('re-serves the same msgids after a rewind or for an old cursor', async () => {
    const h = await harness();
    const items = fillLog(h);
    const token = h.fake.issueSyncToken();
    const first = await h.post('/cgi-bin/kf/sync_msg', { cursor: '', token, limit: 5, open_kfid: h.fake.openKfId });
    const cursor = first.next_cursor as string;
    const second = await h.post('/cgi-bin/kf/sync_msg', { cursor, token, limit: 5, open_kfid: h.fake.openKfId });
    const again = await h.post('/cgi-bin/kf/sync_msg', { cursor, token, limit: 5, open_kfid: h.fake.openKfId });
    expect((again.msg_list as KfMessage[]).map((m) => m.msgid)).toEqual((second.msg_list as KfMessage[]).map((m) => m.msgid));
    h.fake.rewind(2);
    const rewound = await h.post('/cgi-bin/kf/sync_msg', { cursor: second.next_cursor, token, limit: 5, open_kfid: h.fake.openKfId });
    expect((rewound.msg_list as KfMessage[]).map((m) => m.msgid)).toEqual(items.slice(8, 11).map((m) => m.msgid));
  });

  it('starts an empty cursor at the earliest message of the last 3 days', async () => {
    const h = await harness();
    const old = customerText(h, 'four days ago');
    h.clock.now += 24 * HOUR;
    const recent = customerText(h, 'three days ago');
    h.fake.push(old, recent);
    h.clock.now += 3 * 24 * HOUR;
    const page = await h.post('/cgi-bin/kf/sync_msg', { cursor: '', limit: 10, open_kfid: h.fake.openKfId });
    expect((page.msg_list as KfMessage[]).map((m) => m.msgid)).toEqual([recent.msgid]);
  });

  it('checks the callback token: 95007 when unknown, of another account, or older than 10 minutes; accepted when omitted', async () => {
    const h = await harness({ openKfIds: ['wkFirst', 'wkSecond'] });
    const body = (token?: string, open_kfid = 'wkFirst') => ({ cursor: '', limit: 10, open_kfid, ...(token ? { token } : {}) });
    const token = h.fake.issueSyncToken('wkFirst');
    expect((await h.post('/cgi-bin/kf/sync_msg', body(token))).errcode).toBe(0);
    expect((await h.post('/cgi-bin/kf/sync_msg', body('ENCmadeup'))).errcode).toBe(95007);
    expect((await h.post('/cgi-bin/kf/sync_msg', body(token, 'wkSecond'))).errcode).toBe(95007);
    expect((await h.post('/cgi-bin/kf/sync_msg', body())).errcode).toBe(0);
    h.clock.now += 10 * 60_000;
    expect((await h.post('/cgi-bin/kf/sync_msg', body(token))).errcode).toBe(95007);
    const next = h.fake.issueSyncToken('wkFirst');
    h.fake.expireSyncTokens();
    expect((await h.post('/cgi-bin/kf/sync_msg', body(next))).errcode).toBe(95007);
  });

  it('does not check tokens when told not to', async () => {
    const h = await harness({ checkSyncToken: false });
    expect((await h.post('/cgi-bin/kf/sync_msg', { cursor: '', token: 'anything', open_kfid: h.fake.openKfId })).errcode).toBe(0);
  });

  it('refuses an unknown account (95000), a bad limit or cursor (40058) and a body that is not JSON (47001)', async () => {
    const h = await harness();
    expect((await h.post('/cgi-bin/kf/sync_msg', { cursor: '', open_kfid: 'wkUnknown' })).errcode).toBe(95000);
    expect((await h.post('/cgi-bin/kf/sync_msg', { cursor: '' })).errcode).toBe(95000);
    expect((await h.post('/cgi-bin/kf/sync_msg', { limit: 1001, open_kfid: h.fake.openKfId })).errcode).toBe(40058);
    expect((await h.post('/cgi-bin/kf/sync_msg', { limit: 0, open_kfid: h.fake.openKfId })).errcode).toBe(40058);
    expect((await h.post('/cgi-bin/kf/sync_msg', { cursor: 'not-a-cursor', open_kfid: h.fake.openKfId })).errcode).toBe(40058);
    expect((await h.post('/cgi-bin/kf/sync_msg', '{"cursor":')).errcode).toBe(47001);
  });
});

describe('kf/send_msg', () => {
  const send = (h: Harness, content: string, extra: Record<string, unknown> = {}) =>
    h.post('/cgi-bin/kf/send_msg', { touser: CUSTOMER, open_kfid: h.fake.openKfId, msgtype: 'text', text: { content }, ...extra });

  it('recalls a message within 2 minutes of sending, once; refuses a later, unknown or other account\'s msgid', async () => {
    const h = await harness();
    h.fake.push(customerText(h, 'hi'));
    const first = String((await send(h, 'oops')).msgid);
    const second = String((await send(h, 'fine')).msgid);
    const recall = (msgid: string, openKfId = h.fake.openKfId) => h.post('/cgi-bin/kf/recall_msg', { open_kfid: openKfId, msgid });
    h.clock.now += 2 * 60_000;
    expect(await recall(first)).toMatchObject({ errcode: 0, errmsg: 'ok' });
    expect(h.fake.sent.find((m) => m.msgid === first)?.recalled).toBe(true);
    expect((await recall(first)).errcode).toBe(RECALL_REFUSED);
    expect((await recall('no-such-msgid')).errcode).toBe(RECALL_REFUSED);
    expect((await recall(second, 'wkNotAnAccount')).errcode).toBe(95000);
    h.clock.now += 1;
    expect((await recall(second)).errcode).toBe(RECALL_REFUSED);
    expect(h.fake.sent.find((m) => m.msgid === second)?.recalled).toBeUndefined();
  });

  it('refuses a customer who never wrote (95002)', async () => {
    const h = await harness();
    expect((await send(h, 'hello')).errcode).toBe(95002);
    expect(h.fake.sent).toEqual([]);
  });

  it('accepts 5 messages after a customer message, refuses the sixth (95001), and a new customer message restores the allowance', async () => {
    const h = await harness();
    h.fake.push(customerText(h, 'hi'));
    for (let i = 1; i <= 5; i += 1) {
      const answer = await send(h, `reply ${i}`);
      expect(answer).toMatchObject({ errcode: 0, errmsg: 'ok', msgid: expect.any(String) });
    }
    expect(h.fake.allowanceLeft(CUSTOMER)).toBe(0);
    expect((await send(h, 'reply 6')).errcode).toBe(95001);
    h.clock.now += 1000;
    h.fake.push(customerText(h, 'thanks'));
    expect(h.fake.allowanceLeft(CUSTOMER)).toBe(5);
    expect((await send(h, 'reply 6')).errcode).toBe(0);
    expect(h.fake.sent.map((s) => s.content)).toEqual(['reply 1', 'reply 2', 'reply 3', 'reply 4', 'reply 5', 'reply 6']);
    expect(h.fake.sent[0]).toMatchObject({ touser: CUSTOMER, openKfId: h.fake.openKfId, msgtype: 'text' });
  });

  it('closes the window 48 h after the customer message’s send_time (95002), however late it was fetched', async () => {
    const h = await harness();
    h.fake.push(kfMessage.text(h.fake.base(CUSTOMER, { atMs: START - 47 * HOUR }), 'written 47 h ago'));
    expect((await send(h, 'still in time')).errcode).toBe(0);
    h.clock.now += HOUR + 1;
    expect((await send(h, 'too late')).errcode).toBe(95002);
  });

  it('refuses in the queue pool or with a human servicer (95018) and after the session ended (95013)', async () => {
    const h = await harness();
    h.fake.push(customerText(h, 'hi'));
    h.fake.setServiceState(CUSTOMER, 3, 'zhangsan');
    expect((await send(h, 'x')).errcode).toBe(95018);
    h.fake.setServiceState(CUSTOMER, 2);
    expect((await send(h, 'x')).errcode).toBe(95018);
    h.fake.setServiceState(CUSTOMER, 1);
    expect((await send(h, 'x')).errcode).toBe(0);
    expect((await h.post('/cgi-bin/kf/service_state/trans', { open_kfid: h.fake.openKfId, external_userid: CUSTOMER, service_state: 4 })).errcode).toBe(0);
    expect((await send(h, 'x')).errcode).toBe(95013);
    h.fake.push(customerText(h, 'back again'));
    expect(h.fake.serviceState(CUSTOMER).state).toBe(0);
    expect((await send(h, 'x')).errcode).toBe(0);
  });

  it('takes 2048 bytes of content and refuses 2049 (45002) or none (44004), counting UTF-8 bytes', async () => {
    const h = await harness();
    h.fake.push(customerText(h, 'hi'));
    // 682 × 3 bytes + 2 = 2048 bytes, 684 characters.
    const fits = `${'退'.repeat(682)}ab`;
    expect(Buffer.byteLength(fits)).toBe(2048);
    expect((await send(h, fits)).errcode).toBe(0);
    expect((await send(h, `${fits}c`)).errcode).toBe(45002);
    expect((await send(h, '')).errcode).toBe(44004);
    expect(h.fake.sent).toHaveLength(1);
  });

  it('echoes a given msgid, refuses a malformed one, an unknown account or a missing touser', async () => {
    const h = await harness();
    h.fake.push(customerText(h, 'hi'));
    expect(await send(h, 'x', { msgid: 'reply-1_A' })).toMatchObject({ errcode: 0, msgid: 'reply-1_A' });
    expect((await send(h, 'x', { msgid: 'has space' })).errcode).toBe(40058);
    expect((await send(h, 'x', { msgid: 'a'.repeat(33) })).errcode).toBe(40058);
    expect((await send(h, 'x', { open_kfid: 'wkUnknown' })).errcode).toBe(95000);
    expect((await send(h, 'x', { touser: '' })).errcode).toBe(40096);
    expect((await send(h, 'x', { msgtype: 'miniprogram' })).errcode).toBe(40008);
  });

  it('sends an image by an uploaded media_id and refuses an unknown one (40007)', async () => {
    const h = await harness();
    h.fake.push(customerText(h, 'hi'));
    const mediaId = h.fake.addMedia(Buffer.from('png-bytes'), { type: 'image', contentType: 'image/png', filename: 'a.png' });
    const image = (media_id: string) => h.post('/cgi-bin/kf/send_msg', { touser: CUSTOMER, open_kfid: h.fake.openKfId, msgtype: 'image', image: { media_id } });
    expect((await image(mediaId)).errcode).toBe(0);
    expect((await image('unknown')).errcode).toBe(40007);
    expect(h.fake.sent[0]).toMatchObject({ msgtype: 'image', mediaId });
  });
});

describe('kf/service_state', () => {
  const trans = (h: Harness, service_state: number, servicer_userid?: string) =>
    h.post('/cgi-bin/kf/service_state/trans', {
      open_kfid: h.fake.openKfId,
      external_userid: CUSTOMER,
      service_state,
      ...(servicer_userid ? { servicer_userid } : {}),
    });

  it('reports 4 before the customer writes, 0 after, and the servicer in state 3', async () => {
    const h = await harness();
    const get = () => h.post('/cgi-bin/kf/service_state/get', { open_kfid: h.fake.openKfId, external_userid: CUSTOMER });
    expect(await get()).toMatchObject({ errcode: 0, service_state: 4 });
    h.fake.push(customerText(h, 'hi'));
    expect(await get()).toMatchObject({ errcode: 0, service_state: 0 });
    await trans(h, 3, 'zhangsan');
    expect(await get()).toMatchObject({ service_state: 3, servicer_userid: 'zhangsan' });
  });

  it('follows the transition table and returns msg_code the first time into 2 or 3 and on every end', async () => {
    const h = await harness();
    h.fake.push(customerText(h, 'hi'));
    expect(await trans(h, 1)).toEqual({ errcode: 0, errmsg: 'ok' });
    const pool = await trans(h, 2);
    expect(pool).toMatchObject({ errcode: 0, msg_code: expect.any(String) });
    expect((await trans(h, 1)).errcode).toBe(95016);
    const human = await trans(h, 3, 'zhangsan');
    expect(human).toMatchObject({ errcode: 0, msg_code: expect.any(String) });
    expect(await trans(h, 3, 'lisi')).toEqual({ errcode: 0, errmsg: 'ok' });
    expect((await trans(h, 0)).errcode).toBe(95016);
    const end = await trans(h, 4);
    expect(end).toMatchObject({ errcode: 0, msg_code: expect.any(String) });
    for (const target of [0, 1, 2, 3, 4]) expect((await trans(h, target, 'zhangsan')).errcode).toBe(95016);
  });

  it('needs a servicer for state 3 (95014), one of the configured ones when a list is given', async () => {
    const h = await harness({ servicers: ['zhangsan'] });
    h.fake.push(customerText(h, 'hi'));
    expect((await trans(h, 3)).errcode).toBe(95014);
    expect((await trans(h, 3, 'stranger')).errcode).toBe(95014);
    expect((await trans(h, 3, 'zhangsan')).errcode).toBe(0);
    expect((await trans(h, 7)).errcode).toBe(40058);
  });
});

describe('kf/send_msg_on_event', () => {
  const onEvent = (h: Harness, code: string, content = 'Welcome!') =>
    h.post('/cgi-bin/kf/send_msg_on_event', { code, msgtype: 'text', text: { content } });

  it('sends the welcome once with the enter_session code within 20 s, then refuses the code', async () => {
    const h = await harness();
    h.fake.push(kfEvent.enterSession(h.fake.base(CUSTOMER, { atMs: h.clock.now }), { welcomeCode: 'WELCOME-A' }));
    h.clock.now += 19_000;
    expect(await onEvent(h, 'WELCOME-A')).toMatchObject({ errcode: 0, msgid: expect.any(String) });
    expect((await onEvent(h, 'WELCOME-A')).errcode).toBe(INVALID_EVENT_CODE);
    expect(h.fake.eventSends).toEqual([expect.objectContaining({ code: 'WELCOME-A', kind: 'welcome', touser: CUSTOMER, content: 'Welcome!' })]);
  });

  it('refuses a welcome code after 20 s and a code it never issued', async () => {
    const h = await harness();
    h.fake.push(kfEvent.enterSession(h.fake.base(CUSTOMER, { atMs: h.clock.now }), { welcomeCode: 'WELCOME-B' }));
    h.clock.now += 20_000;
    expect((await onEvent(h, 'WELCOME-B')).errcode).toBe(INVALID_EVENT_CODE);
    expect((await onEvent(h, 'never-issued')).errcode).toBe(INVALID_EVENT_CODE);
    expect(h.fake.eventSends).toEqual([]);
  });

  it('takes the msg_code of trans to 3 for 48 h, and checks content before spending the code', async () => {
    const h = await harness();
    h.fake.push(customerText(h, 'hi'));
    const human = await h.post('/cgi-bin/kf/service_state/trans', { open_kfid: h.fake.openKfId, external_userid: CUSTOMER, service_state: 3, servicer_userid: 'zhangsan' });
    const code = human.msg_code as string;
    h.clock.now += 47 * HOUR;
    expect((await onEvent(h, code, '')).errcode).toBe(44004);
    expect((await h.post('/cgi-bin/kf/send_msg_on_event', { code, msgtype: 'msgmenu', msgmenu: { list: [] } })).errcode).toBe(40008);
    expect((await onEvent(h, code, 'Ana will help you')).errcode).toBe(0);
    expect(h.fake.eventSends[0]).toMatchObject({ kind: 'servicer', content: 'Ana will help you' });
  });
});

describe('media/get and media/upload', () => {
  it('serves registered bytes with their type and filename, 40007 for unknown or 3-day-old media, 41006 without an id', async () => {
    const h = await harness();
    const mediaId = h.fake.addMedia(Buffer.from('voice-bytes'), { type: 'voice', contentType: 'voice/amr', filename: 'v.amr' });
    const token = await h.token();
    const res = await fetch(`${h.fake.url}/cgi-bin/media/get?access_token=${token}&media_id=${mediaId}`);
    expect(res.headers.get('content-type')).toBe('voice/amr');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="v.amr"');
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('voice-bytes');
    expect((await h.get('/cgi-bin/media/get', { access_token: token, media_id: 'unknown' })).errcode).toBe(40007);
    expect((await h.get('/cgi-bin/media/get', { access_token: token })).errcode).toBe(41006);
    h.clock.now += 3 * 24 * HOUR;
    expect((await h.get('/cgi-bin/media/get', { access_token: await h.token(), media_id: mediaId })).errcode).toBe(40007);
  });

  async function upload(h: Harness, type: string, bytes: Buffer | undefined, field = 'media'): Promise<Record<string, unknown>> {
    const form = new FormData();
    if (bytes) form.append(field, new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), 'report.pdf');
    else form.append('other', 'x');
    const res = await fetch(`${h.fake.url}/cgi-bin/media/upload?access_token=${await h.token()}&type=${type}`, { method: 'POST', body: form });
    return (await res.json()) as Record<string, unknown>;
  }

  it('stores a multipart upload and serves it back by the media_id it returns', async () => {
    const h = await harness();
    const answer = await upload(h, 'file', Buffer.from('%PDF-1.7 bytes'));
    expect(answer).toMatchObject({ errcode: 0, errmsg: 'ok', type: 'file', media_id: expect.any(String), created_at: String(START / 1000) });
    expect(h.fake.uploads()).toEqual([expect.objectContaining({ filename: 'report.pdf', type: 'file' })]);
    const res = await fetch(`${h.fake.url}/cgi-bin/media/get?access_token=${await h.token()}&media_id=${answer.media_id as string}`);
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('%PDF-1.7 bytes');
  });

  it('refuses a bad type (40005), a file of 5 bytes or fewer (40006), a body without the media part (44001)', async () => {
    const h = await harness();
    expect((await upload(h, 'pdf', Buffer.from('123456'))).errcode).toBe(40005);
    expect((await upload(h, 'file', Buffer.from('12345'))).errcode).toBe(40006);
    expect((await upload(h, 'file', Buffer.from('123456'))).errcode).toBe(0);
    expect((await upload(h, 'file', undefined)).errcode).toBe(44001);
    expect((await upload(h, 'image', Buffer.alloc(10 * 1024 * 1024 + 1))).errcode).toBe(40009);
  });
});

describe('callbacks to the bot', () => {
  /** Stands in for the bot's /webhooks/wechat: verifies and decrypts with the project's crypto, records what it read. */
  async function startBot(fake: WecomFake): Promise<{ url: string; notices: Array<{ token: string; openKfId: string }> }> {
    const notices: Array<{ token: string; openKfId: string }> = [];
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const query = new URL(req.url ?? '/', 'http://bot').searchParams;
        const [signature, timestamp, nonce] = ['msg_signature', 'timestamp', 'nonce'].map((k) => query.get(k) ?? '');
        let encrypted = query.get('echostr') ?? '';
        if (req.method === 'POST') {
          const envelope = readEncryptedEnvelope(Buffer.concat(chunks).toString('utf8'));
          encrypted = envelope.ok ? envelope.value.encrypt : '';
        }
        const opened = decrypt(fake.encodingAesKey, encrypted, fake.corpId);
        if (!verifyMsgSignature(fake.callbackToken, timestamp!, nonce!, encrypted, signature!) || !opened.ok) {
          res.writeHead(401).end();
          return;
        }
        if (req.method === 'GET') {
          res.writeHead(200, { 'content-type': 'text/plain' }).end(opened.message);
          return;
        }
        const notice = readKfMsgOrEvent(opened.message);
        if (notice.ok) notices.push({ token: notice.value.token, openKfId: notice.value.openKfId });
        res.writeHead(200).end('success');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/wechat`, notices };
  }

  it('sends a URL verification the project crypto verifies, decrypts and echoes', async () => {
    const h = await harness();
    const bot = await startBot(h.fake);
    h.fake.callbackUrl = bot.url;
    const delivery = await h.fake.verifyCallbackUrl({ echo: '1616140317555161061' });
    expect(delivery).toMatchObject({ kind: 'verify', status: 200, body: '1616140317555161061' });
  });

  it('sends an encrypted kf_msg_or_event whose token then opens sync_msg', async () => {
    const h = await harness();
    const bot = await startBot(h.fake);
    h.fake.push(customerText(h, 'hello'));
    const delivery = await h.fake.deliverKfCallback({ url: bot.url });
    expect(delivery).toMatchObject({ kind: 'kf_msg_or_event', status: 200, body: 'success' });
    expect(bot.notices).toEqual([{ token: delivery.syncToken, openKfId: h.fake.openKfId }]);
    const page = await h.post('/cgi-bin/kf/sync_msg', { cursor: '', token: bot.notices[0]!.token, open_kfid: h.fake.openKfId });
    expect((page.msg_list as KfMessage[])[0]).toMatchObject({ text: { content: 'hello' } });
    expect(h.fake.callbacks).toHaveLength(1);
    const replayed = await h.fake.replayCallback(delivery);
    expect(replayed).toMatchObject({ status: 200, syncToken: delivery.syncToken, request: delivery.request });
    expect(bot.notices).toEqual([bot.notices[0], bot.notices[0]]);
    expect(h.fake.callbacks).toHaveLength(2);
  });

  it('is refused by a bot with another token or key (the signature and the key really matter)', async () => {
    const h = await harness();
    const other = await startWecomFake({ callbackToken: 'another-token' });
    cleanups.push(() => other.close());
    const bot = await startBot(other);
    expect((await h.fake.deliverKfCallback({ url: bot.url })).status).toBe(401);
    expect((await h.fake.verifyCallbackUrl({ url: bot.url })).status).toBe(401);
  });
});

describe('injected failures, latency and the request log', () => {
  it('answers 45009 "api freq out of limit" for the next n calls, gettoken included, then recovers', async () => {
    const h = await harness();
    const token = await h.token();
    h.fake.failNext(2, 45009);
    const body = { open_kfid: h.fake.openKfId, external_userid: CUSTOMER };
    const limited = await h.post('/cgi-bin/kf/service_state/get', body, token);
    expect(limited.errcode).toBe(45009);
    expect(limited.errmsg).toMatch(/api freq out of limit/);
    expect((await h.get('/cgi-bin/gettoken', { corpid: h.fake.corpId, corpsecret: h.fake.corpSecret })).errcode).toBe(45009);
    expect((await h.post('/cgi-bin/kf/service_state/get', body, token)).errcode).toBe(0);
  });

  it('delays answers by latencyMs', async () => {
    const h = await harness({ latencyMs: 150 });
    const started = Date.now();
    await h.token();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    h.fake.latencyMs = 0;
  });

  it('logs every API request with its path, query, body and errcode, but not unknown paths', async () => {
    const h = await harness();
    const token = await h.token();
    await h.post('/cgi-bin/kf/send_msg', { touser: CUSTOMER, open_kfid: h.fake.openKfId, msgtype: 'text', text: { content: 'x' } }, token);
    const unknown = await fetch(`${h.fake.url}/cgi-bin/message/send`, { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(h.fake.requests.map((r) => [r.method, r.path, r.errcode])).toEqual([
      ['GET', '/cgi-bin/gettoken', 0],
      ['POST', '/cgi-bin/kf/send_msg', 95002],
    ]);
    expect(h.fake.requests[1]).toMatchObject({ query: { access_token: token }, body: { touser: CUSTOMER } });
  });

  it('forgets everything on reset', async () => {
    const h = await harness();
    h.fake.push(customerText(h, 'hi'));
    const token = await h.token();
    h.fake.reset();
    expect(h.fake.log()).toEqual([]);
    expect(h.fake.requests).toEqual([]);
    expect(h.fake.serviceState(CUSTOMER).state).toBe(4);
    expect((await h.post('/cgi-bin/kf/service_state/get', { open_kfid: h.fake.openKfId, external_userid: CUSTOMER }, token)).errcode).toBe(40014);
  });
});
