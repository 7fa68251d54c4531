import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startGraphFake, type GraphFake, type GraphFakeOptions } from './start-graph-fake.js';
import {
  mediaMessageWebhook,
  postWebhook,
  signWhatsApp,
  textMessageWebhook,
  verifyHandshake,
  type WhatsAppWebhookBody,
} from './webhooks.js';

const TOKEN = 'EAAtest-token';
const PHONE_ID = '106540352242922';
const SECRET = 'app-secret-for-tests';
const CUSTOMER = '4915112345678';
const START = Date.UTC(2026, 0, 5, 9, 0, 0);

/** A tiny HTTP server standing in for the bot: records every request. */
interface Recorder {
  url: string;
  requests: Array<{ method: string; path: string; headers: IncomingHttpHeaders; raw: string }>;
  close(): Promise<void>;
}

async function startRecorder(): Promise<Recorder> {
  const requests: Recorder['requests'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const raw = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', path, headers: req.headers, raw });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function fakeWith(extra: Partial<GraphFakeOptions> = {}): Promise<{ fake: GraphFake; clock: { now: number } }> {
  const clock = { now: START };
  const fake = await startGraphFake({ accessToken: TOKEN, phoneNumberId: PHONE_ID, now: () => clock.now, ...extra });
  cleanups.push(() => fake.close());
  return { fake, clock };
}

async function recorder(): Promise<Recorder> {
  const r = await startRecorder();
  cleanups.push(() => r.close());
  return r;
}

function send(fake: GraphFake, body: unknown, token: string | null = TOKEN, phoneId = PHONE_ID): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  return fetch(`${fake.url}/${phoneId}/messages`, { method: 'POST', headers, body: JSON.stringify(body) });
}

function text(to: string, body: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'text', text: { body }, ...extra };
}

const template = (to: string) => ({
  messaging_product: 'whatsapp',
  to,
  type: 'template',
  template: { name: 'reopen_conversation', language: { code: 'en' } },
});

interface GraphErrorJson {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    error_data?: { messaging_product: string; details: string };
    fbtrace_id: string;
  };
}

interface SendJson {
  messaging_product: string;
  contacts: Array<{ input: string; wa_id: string }>;
  messages: Array<{ id: string; message_status?: string }>;
}

describe('Graph API fake: sending', () => {
  it('accepts a text reply inside the window and answers with contacts and a wamid, as the Cloud API does', async () => {
    const { fake } = await fakeWith();
    fake.customerWrote(CUSTOMER);

    const res = await send(fake, text(`+${CUSTOMER}`, 'Hello from support', { context: { message_id: 'wamid.IN1' } }));

    expect(res.status).toBe(200);
    const json = (await res.json()) as SendJson;
    expect(json.messaging_product).toBe('whatsapp');
    expect(json.contacts).toEqual([{ input: `+${CUSTOMER}`, wa_id: CUSTOMER }]);
    expect(json.messages[0]!.id).toMatch(/^wamid\./);
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({
      to: `+${CUSTOMER}`,
      waId: CUSTOMER,
      type: 'text',
      text: 'Hello from support',
      context: { message_id: 'wamid.IN1' },
      wamid: json.messages[0]!.id,
      outcome: 'accepted',
      time: START,
    });
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v21\.0$/);
  });

  it('refuses a wrong or missing token with HTTP 401 and OAuthException code 190', async () => {
    const { fake } = await fakeWith();
    fake.windowOpen(CUSTOMER);

    for (const token of ['wrong-token', null]) {
      const res = await send(fake, text(CUSTOMER, 'hi'), token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('OAuth "Facebook Platform"');
      const json = (await res.json()) as GraphErrorJson;
      expect(json.error).toMatchObject({ type: 'OAuthException', code: 190 });
      expect(json.error.fbtrace_id).toEqual(expect.any(String));
    }
    expect(fake.sent).toHaveLength(0);
    expect(fake.rejected.map((r) => r.status)).toEqual([401, 401]);
  });

  it('answers an unknown phone number id with the Graph "object does not exist" error (code 100, subcode 33)', async () => {
    const { fake } = await fakeWith();
    const res = await send(fake, text(CUSTOMER, 'hi'), TOKEN, '999999');
    expect(res.status).toBe(400);
    const json = (await res.json()) as GraphErrorJson;
    expect(json.error).toMatchObject({ code: 100, error_subcode: 33, type: 'GraphMethodException' });
    expect(json.error.message).toContain("Object with ID '999999' does not exist");
  });

  it('rejects invalid bodies with code 100 and accepts a text of exactly 4096 characters', async () => {
    const { fake } = await fakeWith({ pairRate: false });
    fake.windowOpen(CUSTOMER);

    const missingProduct = await send(fake, { to: CUSTOMER, type: 'text', text: { body: 'x' } });
    expect(missingProduct.status).toBe(400);
    expect(((await missingProduct.json()) as GraphErrorJson).error).toMatchObject({
      code: 100,
      message: '(#100) The parameter messaging_product is required.',
    });

    const tooLong = await send(fake, text(CUSTOMER, 'a'.repeat(4097)));
    expect(tooLong.status).toBe(400);
    const tooLongJson = (await tooLong.json()) as GraphErrorJson;
    expect(tooLongJson.error.message).toBe('(#100) Invalid parameter');
    expect(tooLongJson.error.error_data).toEqual({
      messaging_product: 'whatsapp',
      details: expect.stringContaining('4096'),
    });

    const noBody = await send(fake, { messaging_product: 'whatsapp', to: CUSTOMER, type: 'text', text: {} });
    expect(noBody.status).toBe(400);

    const exact = await send(fake, text(CUSTOMER, 'é'.repeat(4096)));
    expect(exact.status).toBe(200);
    expect(fake.sent).toHaveLength(1);
  });

  it('records "mark as read" calls and answers {success:true}', async () => {
    const { fake } = await fakeWith();
    const res = await send(fake, { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.IN9' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true });
    expect(fake.markedRead).toEqual(['wamid.IN9']);
  });
});

describe('Graph API fake: the 24-hour customer service window', () => {
  it('accepts a free-form send outside the window with 200 + wamid, then reports failed with 131047 in a signed status webhook', async () => {
    const bot = await recorder();
    const { fake } = await fakeWith({ appSecret: SECRET, webhookUrl: `${bot.url}/webhooks/whatsapp` });

    const res = await send(fake, text(CUSTOMER, 'are you still there?'));
    expect(res.status).toBe(200);
    const wamid = ((await res.json()) as SendJson).messages[0]!.id;
    expect(fake.sent[0]!.outcome).toBe('failed_window');

    await fake.waitFor((f) => f.statusDeliveries.length === 1);
    const request = bot.requests[0]!;
    expect(request.path).toBe('/webhooks/whatsapp');
    const expected = `sha256=${createHmac('sha256', SECRET).update(request.raw).digest('hex')}`;
    expect(request.headers['x-hub-signature-256']).toBe(expected);
    const body = JSON.parse(request.raw) as WhatsAppWebhookBody;
    expect(body.object).toBe('whatsapp_business_account');
    const value = body.entry[0]!.changes[0]!.value;
    expect(value.metadata.phone_number_id).toBe(PHONE_ID);
    expect(value.statuses![0]).toMatchObject({
      id: wamid,
      status: 'failed',
      recipient_id: CUSTOMER,
      timestamp: String(START / 1000),
      errors: [
        { code: 131047, title: 'Re-engagement message', error_data: { details: expect.stringContaining('24 hours') } },
      ],
    });
  });

  it('fails synchronously with HTTP 400 and code 131047 in "sync" mode', async () => {
    const { fake } = await fakeWith({ windowClosed: 'sync' });
    const res = await send(fake, text(CUSTOMER, 'late reply'));
    expect(res.status).toBe(400);
    const json = (await res.json()) as GraphErrorJson;
    expect(json.error).toMatchObject({ code: 131047, message: '(#131047) Re-engagement message' });
    expect(json.error.error_data?.messaging_product).toBe('whatsapp');
    expect(fake.sent).toHaveLength(0);
  });

  it('opens the window when the customer writes and closes it 24 hours later; templates pass either way', async () => {
    const { fake, clock } = await fakeWith({ windowClosed: 'sync', pairRate: false });
    fake.addTemplate({ name: 'reopen_conversation', language: 'en', body: 'We are here again. Reply to go on.' });
    const inbound = textMessageWebhook({ phoneNumberId: PHONE_ID }, { from: CUSTOMER, body: 'help', atMs: clock.now });
    fake.observeInbound(inbound);

    expect((await send(fake, text(CUSTOMER, 'inside'))).status).toBe(200);
    clock.now += 24 * 60 * 60 * 1000 - 1;
    expect((await send(fake, text(CUSTOMER, 'just inside'))).status).toBe(200);
    clock.now += 1;
    expect((await send(fake, text(CUSTOMER, 'outside'))).status).toBe(400);

    const tpl = await send(fake, template(CUSTOMER));
    expect(tpl.status).toBe(200);
    expect(((await tpl.json()) as SendJson).messages[0]!.message_status).toBe('accepted');

    fake.windowOpen(CUSTOMER, true);
    expect((await send(fake, text(CUSTOMER, 'forced open'))).status).toBe(200);
  });
});

describe('Graph API fake: message templates', () => {
  const get = (fake: GraphFake, path: string, token = TOKEN) => fetch(`${fake.url}/${path}`, { headers: { authorization: `Bearer ${token}` } });
  const withValues = (name: string, code: string, values: string[]) => ({
    messaging_product: 'whatsapp', to: CUSTOMER, type: 'template',
    template: { name, language: { code }, components: values.length ? [{ type: 'body', parameters: values.map((v) => ({ type: 'text', text: v })) }] : [] },
  });

  it('lists the business account\'s templates page by page, following paging.next until it is absent', async () => {
    const { fake } = await fakeWith();
    for (let i = 0; i < 5; i += 1) fake.addTemplate({ name: `t${i}`, language: 'en', body: `Order {{1}} step ${i}` });
    const names: string[] = [];
    let url = `${fake.url}/${fake.wabaId}/message_templates?limit=2`;
    for (let pages = 0; pages < 10; pages += 1) {
      const page = (await (await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { data: { name: string; status: string; components: { type: string; text: string }[] }[]; paging: { cursors: { after: string }; next?: string } };
      names.push(...page.data.map((t) => t.name));
      expect(page.data.every((t) => t.status === 'APPROVED' && t.components[0]!.type === 'BODY')).toBe(true);
      if (!page.paging.next) break;
      url = page.paging.next;
    }
    expect(names).toEqual(['t0', 't1', 't2', 't3', 't4']);
    expect((await get(fake, 'not-the-waba/message_templates')).status).toBe(400);
    expect((await get(fake, `${fake.wabaId}/message_templates`, 'wrong')).status).toBe(401);
  });

  it('refuses an unknown template with 132001 and a wrong number of body values with 132000, before accepting anything', async () => {
    const { fake } = await fakeWith({ pairRate: false });
    fake.addTemplate({ name: 'order_update', language: 'en', body: 'Your order {{1}} has shipped.' });
    const unknown = await send(fake, withValues('order_updat', 'en', ['1234']));
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as GraphErrorJson).error.code).toBe(132001);
    const wrongLanguage = await send(fake, withValues('order_update', 'zh_CN', ['1234']));
    expect(((await wrongLanguage.json()) as GraphErrorJson).error.code).toBe(132001);
    const count = await send(fake, withValues('order_update', 'en', []));
    const body = (await count.json()) as GraphErrorJson;
    expect([count.status, body.error.code]).toEqual([400, 132000]);
    expect(body.error.error_data!.details).toBe('body: number of localizable_params (0) does not match the expected number of params (1)');
    expect(fake.sent).toEqual([]);
    expect((await send(fake, withValues('order_update', 'en', ['1234']))).status).toBe(200);
    expect(fake.sent[0]!.template).toEqual({ name: 'order_update', language: { code: 'en' } });
  });

  it('accepts a template to a customer who stopped marketing messages, then reports 131050 in a signed failed status', async () => {
    const bot = await recorder();
    const { fake } = await fakeWith({ appSecret: SECRET, webhookUrl: `${bot.url}/webhooks/whatsapp`, pairRate: false });
    fake.addTemplate({ name: 'promo', language: 'en', body: 'New in store.', category: 'MARKETING' });
    fake.stopMarketing(CUSTOMER);
    expect((await send(fake, withValues('promo', 'en', []))).status).toBe(200);
    await fake.settle();
    const status = (JSON.parse(bot.requests[0]!.raw) as WhatsAppWebhookBody & { entry: { changes: { value: { statuses: { status: string; errors: { code: number }[] }[] } }[] }[] }).entry[0]!.changes[0]!.value.statuses[0]!;
    expect([status.status, status.errors[0]!.code]).toEqual(['failed', 131050]);
  });
});

describe('Graph API fake: throughput and pair rate', () => {
  it('answers sends over the per-number throughput with 130429 until the second has passed', async () => {
    const { fake, clock } = await fakeWith({ throughput: 3, pairRate: false });
    const recipients = ['4915100000001', '4915100000002', '4915100000003', '4915100000004'];
    for (const r of recipients) fake.windowOpen(r);

    const statuses: number[] = [];
    for (const r of recipients) statuses.push((await send(fake, text(r, 'burst'))).status);
    expect(statuses).toEqual([200, 200, 200, 400]);
    expect(fake.rejected.at(-1)).toMatchObject({ code: 130429, to: '4915100000004' });

    clock.now += 1000;
    expect((await send(fake, text(recipients[3]!, 'later'))).status).toBe(200);
  });

  it('returns the Graph envelope for 130429', async () => {
    const { fake } = await fakeWith({ throughput: 1, pairRate: false });
    fake.windowOpen(CUSTOMER);
    fake.windowOpen('4915100000009');
    await send(fake, text(CUSTOMER, 'one'));
    const res = await send(fake, text('4915100000009', 'two'));
    expect(await res.json()).toEqual({
      error: {
        message: '(#130429) Rate limit hit',
        type: 'OAuthException',
        code: 130429,
        error_data: { messaging_product: 'whatsapp', details: 'Cloud API message throughput has been reached.' },
        fbtrace_id: expect.any(String),
      },
    });
  });

  it('limits one recipient to about one message per 6 s with 131056 while others still get through', async () => {
    const { fake, clock } = await fakeWith({ pairRate: { intervalMs: 6000, burst: 1 } });
    fake.windowOpen(CUSTOMER);
    fake.windowOpen('4915100000002');

    expect((await send(fake, text(CUSTOMER, 'first'))).status).toBe(200);
    const second = await send(fake, text(CUSTOMER, 'second'));
    expect(second.status).toBe(429);
    const json = (await second.json()) as GraphErrorJson;
    expect(json.error).toMatchObject({
      code: 131056,
      message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
    });
    expect((await send(fake, text('4915100000002', 'other customer'))).status).toBe(200);

    clock.now += 5999;
    expect((await send(fake, text(CUSTOMER, 'too early'))).status).toBe(429);
    clock.now += 1;
    expect((await send(fake, text(CUSTOMER, 'in time'))).status).toBe(200);
  });
});

describe('Graph API fake: failure injection, media, status webhooks', () => {
  it('answers the next N calls with the injected Graph error, then recovers', async () => {
    const { fake } = await fakeWith({ pairRate: false });
    fake.windowOpen(CUSTOMER);
    fake.failNext(2, { status: 503, code: 2, message: 'Service temporarily unavailable', type: 'OAuthException' });

    const first = await send(fake, text(CUSTOMER, 'a'));
    const second = await send(fake, text(CUSTOMER, 'b'));
    const third = await send(fake, text(CUSTOMER, 'c'));
    expect([first.status, second.status, third.status]).toEqual([503, 503, 200]);
    const injected = ((await first.json()) as GraphErrorJson).error;
    expect(injected).toMatchObject({ code: 2, message: 'Service temporarily unavailable' });
    expect(fake.sent.map((s) => s.text)).toEqual(['c']);
  });

  it('describes media with GET /<media-id> and serves the bytes only with the bearer token', async () => {
    const { fake } = await fakeWith();
    const bytes = Buffer.from('%PDF-1.7 fake invoice');
    fake.addMedia('1234567890', bytes, 'application/pdf');

    const metaRes = await fetch(`${fake.url}/1234567890`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(metaRes.status).toBe(200);
    const meta = (await metaRes.json()) as { url: string };
    expect(meta).toMatchObject({
      messaging_product: 'whatsapp',
      mime_type: 'application/pdf',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      file_size: bytes.length,
      id: '1234567890',
    });
    expect(meta.url.startsWith(fake.origin)).toBe(true);

    expect((await fetch(meta.url)).status).toBe(401);
    const download = await fetch(meta.url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);

    const unknown = await fetch(`${fake.url}/555`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as GraphErrorJson).error.code).toBe(100);
  });

  it('delivers sent, delivered and read status webhooks in order, each signed with the app secret', async () => {
    const bot = await recorder();
    const { fake } = await fakeWith({
      appSecret: SECRET,
      webhookUrl: `${bot.url}/webhooks/whatsapp`,
      deliverStatuses: true,
    });
    fake.customerWrote(CUSTOMER);

    const res = await send(fake, text(CUSTOMER, 'your order shipped'));
    const wamid = ((await res.json()) as SendJson).messages[0]!.id;
    await fake.waitFor((f) => f.statusDeliveries.length === 3);

    const statusOf = (raw: string) =>
      (JSON.parse(raw) as WhatsAppWebhookBody).entry[0]!.changes[0]!.value.statuses![0]!.status;
    expect(bot.requests.map((r) => statusOf(r.raw))).toEqual(['sent', 'delivered', 'read']);
    for (const request of bot.requests) {
      const mac = createHmac('sha256', SECRET).update(request.raw).digest('hex');
      expect(request.headers['x-hub-signature-256']).toBe(`sha256=${mac}`);
      const value = (JSON.parse(request.raw) as WhatsAppWebhookBody).entry[0]!.changes[0]!.value;
      expect(value.statuses![0]).toMatchObject({ id: wamid, recipient_id: CUSTOMER });
      expect(value.messages).toBeUndefined();
    }
    expect(fake.statusDeliveries.every((d) => d.responseStatus === 200)).toBe(true);
  });

  it('forgets everything on reset()', async () => {
    const { fake } = await fakeWith();
    fake.customerWrote(CUSTOMER);
    await send(fake, text(CUSTOMER, 'before reset'));
    fake.reset();
    expect(fake.sent).toHaveLength(0);
    const res = await send(fake, text(CUSTOMER, 'after reset'));
    expect(res.status).toBe(200);
    expect(fake.sent[0]!.outcome).toBe('failed_window');
  });
});

describe('webhook helpers', () => {
  it('signWhatsApp matches RFC 4231 test case 2 (key "Jefe")', () => {
    expect(signWhatsApp('Jefe', 'what do ya want for nothing?')).toBe(
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('builds a text message webhook shaped like Meta\'s', () => {
    const body = textMessageWebhook(
      { phoneNumberId: PHONE_ID, displayPhoneNumber: '15550783881' },
      { from: CUSTOMER, name: 'Ana', body: 'Where is my parcel?', atMs: 1_700_000_000_123 },
    );
    expect(body).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: expect.any(String),
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_ID },
                contacts: [{ profile: { name: 'Ana' }, wa_id: CUSTOMER }],
                messages: [
                  {
                    from: CUSTOMER,
                    id: expect.stringMatching(/^wamid\./),
                    timestamp: '1700000000',
                    type: 'text',
                    text: { body: 'Where is my parcel?' },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
  });

  it('builds media message webhooks with the media object under the type key', () => {
    const body = mediaMessageWebhook(
      { phoneNumberId: PHONE_ID },
      { from: CUSTOMER, type: 'image', media: { id: '42', mime_type: 'image/jpeg', sha256: 'abc', caption: 'broken' } },
    );
    const message = body.entry[0]!.changes[0]!.value.messages![0]!;
    expect(message.type).toBe('image');
    expect(message.image).toEqual({ id: '42', mime_type: 'image/jpeg', sha256: 'abc', caption: 'broken' });
  });

  it('postWebhook signs the exact raw bytes, can omit or override the header; verifyHandshake sends hub.* params', async () => {
    const bot = await recorder();
    const body = textMessageWebhook({ phoneNumberId: PHONE_ID }, { from: CUSTOMER, body: 'hi' });
    const raw = `${JSON.stringify(body, null, 2)}\n`;

    const answer = await postWebhook(bot.url, SECRET, body, { rawBody: raw });
    expect(answer).toEqual({ status: 200, text: 'ok' });
    await postWebhook(`${bot.url}/`, SECRET, body, { signature: null });
    await postWebhook(bot.url, SECRET, body, { signature: 'sha256=deadbeef' });
    await verifyHandshake(bot.url, { mode: 'subscribe', token: 'verify-me', challenge: '1158201444' });

    const [signed, unsigned, forged, handshake] = bot.requests;
    expect(signed!.path).toBe('/webhooks/whatsapp');
    expect(signed!.raw).toBe(raw);
    const mac = createHmac('sha256', SECRET).update(raw).digest('hex');
    expect(signed!.headers['x-hub-signature-256']).toBe(`sha256=${mac}`);
    expect(unsigned!.path).toBe('/webhooks/whatsapp');
    expect(unsigned!.headers['x-hub-signature-256']).toBeUndefined();
    expect(forged!.headers['x-hub-signature-256']).toBe('sha256=deadbeef');
    expect(handshake!.method).toBe('GET');
    const query = new URL(handshake!.path, bot.url).searchParams;
    expect(query.get('hub.mode')).toBe('subscribe');
    expect(query.get('hub.verify_token')).toBe('verify-me');
    expect(query.get('hub.challenge')).toBe('1158201444');
  });
});
