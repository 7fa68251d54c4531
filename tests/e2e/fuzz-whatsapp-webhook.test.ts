import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/core/keys.js';
import { errorsWebhook, mediaMessageWebhook, newWamid, statusWebhook, textMessageWebhook, unixSeconds, wrapWebhookValue } from '../fakes/whatsapp/webhooks.js';
import { deepJsonText, fuzzSeed, mutateBytes, mutateJson, Rng, uniqueAt } from '../support/fuzz.js';
import { expectAllRefused, expectNoServerErrors, failedRequestLines, nearLimitBodies, sendAll, statusCounts, fuzzDesk, type FuzzRequest, type FuzzResult } from '../support/fuzz-http.js';
import { SECRETS, type DeskHarness } from '../support/start-desk.js';

/**
 * Issue 9 fuzz, GET and POST /webhooks/whatsapp: the verification handshake
 * with mutated queries, forged deliveries that must never take effect, and
 * signed mutated bodies that must never get a 5xx.
 */

const seed = fuzzSeed('GET|POST /webhooks/whatsapp');
const rng = new Rng(seed);
let h: DeskHarness;
const biz = { phoneNumberId: SECRETS.phoneNumberId, displayPhoneNumber: '15550001111' };
const CUSTOMERS = ['491701230001', '491701230002', '491701230003'];
const MESSAGE_ID = ['entry', 0, 'changes', 0, 'value', 'messages', 0, 'id'] as const;

const sign = (body: Buffer | string, secret: string = SECRETS.waAppSecret) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const post = (body: Buffer | string, label: string, o: { signature?: string | null; contentType?: string; mayReset?: boolean } = {}): FuzzRequest => {
  const signature = o.signature === undefined ? sign(body) : o.signature;
  return {
    method: 'POST', path: '/webhooks/whatsapp', label,
    headers: { 'content-type': o.contentType ?? 'application/json', ...(signature !== null ? { 'x-hub-signature-256': signature } : {}) },
    body, ...(o.mayReset ? { mayReset: true } : {}),
  };
};

const bases: ((from: string) => unknown)[] = [
  (from) => textMessageWebhook(biz, { from, id: newWamid(), body: rng.pick(['Hello, my order is late', '#refund please', 'constructor', '']), name: 'Fuzz Customer' }),
  (from) => mediaMessageWebhook(biz, { from, id: newWamid(), type: rng.pick(['image', 'document', 'audio'] as const), media: { id: `${rng.int(1e12)}`, mime_type: 'image/jpeg', sha256: 'abc', caption: 'a photo' } }),
  () => statusWebhook(biz, [{ id: newWamid(), status: rng.pick(['sent', 'delivered', 'read', 'failed'] as const), timestamp: unixSeconds(Date.now()), recipient_id: '491701230001', errors: [{ code: 131047, title: 'Re-engagement message' }] }]),
  () => errorsWebhook(biz, [{ code: 131000, title: 'Something went wrong' }]),
  () => ({ object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [{ field: 'account_update', value: { phone_number: '15550001111', event: 'VERIFIED_ACCOUNT' } }] }] }),
  (from) => wrapWebhookValue(biz, { contacts: [{ profile: { name: 'Two' }, wa_id: from }], messages: [
    { from, id: newWamid(), timestamp: unixSeconds(Date.now()), type: 'text', text: { body: 'first' } },
    { from, id: newWamid(), timestamp: unixSeconds(Date.now()), type: rng.pick(['location', 'contacts', 'reaction', 'interactive', 'unsupported']), text: { body: 'second' } },
  ] }),
];

const LITERALS = ['null', '[]', '{}', '0', '"x"', '{"object":"whatsapp_business_account","entry":null}', '{"object":"whatsapp_business_account","entry":[null]}', '{"object":"whatsapp_business_account","entry":[{"changes":[null]}]}', '{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":null}]}]}', '{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[null],"statuses":[null],"contacts":[null]}}]}]}', '{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"metadata":null,"messages":"x"}}]}]}'];

let n = 0;
function signedMutation(i: number): FuzzRequest {
  const base = rng.pick(bases)(rng.pick(CUSTOMERS));
  const roll = rng.int(100);
  if (roll < 55) {
    const m = mutateJson(rng, base);
    return post(JSON.stringify(uniqueAt(m.value, MESSAGE_ID, `${seed}-${i}`)), `signed#${i} ${m.how}`);
  }
  if (roll < 78) {
    const m = mutateBytes(rng, Buffer.from(JSON.stringify(base)));
    return post(m.value, `signed#${i} ${m.how}`);
  }
  if (roll < 86) {
    const raw = rng.pick(LITERALS);
    return post(raw, `signed#${i} literal ${raw.slice(0, 60)}`);
  }
  if (roll < 92) {
    const contentType = rng.pick(['text/plain', 'application/x-www-form-urlencoded', '', 'application/json; charset=utf-16']);
    return post(JSON.stringify(base), `signed#${i} content-type "${contentType}"`, { contentType });
  }
  const depth = rng.pick([33, 500, 50_000]);
  const raw = rng.chance(0.5)
    ? `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":${deepJsonText(depth)}}]}]}`
    : `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"account_update","value":{"x":${deepJsonText(depth, 'array')}}}]}]}`;
  return post(raw, `signed#${i} deep ${depth}`);
}

function forged(i: number): FuzzRequest {
  // A new customer each: a forged message that got through would open a conversation and post its header.
  const body = JSON.stringify(textMessageWebhook(biz, { from: `4917099${String(i).padStart(5, '0')}`, id: newWamid(), body: 'forged hello', name: 'Forger' }));
  const raw = rng.chance(0.3) ? mutateBytes(rng, Buffer.from(body)).value : Buffer.from(body);
  const good = sign(raw);
  const [mode, signature] = rng.pick<[string, string | null]>([
    ['unsigned', null],
    ['other app secret', sign(raw, 'another-app-secret')],
    ['other body', sign(Buffer.concat([raw, Buffer.from(' ')]))],
    ['no prefix', good.slice('sha256='.length)],
    ['sha1 prefix', good.replace('sha256=', 'sha1=')],
    ['truncated', good.slice(0, 50)],
    ['non-hex', `sha256=${'zz'.repeat(32)}`],
  ]);
  return post(raw, `forged#${i} (${mode})`, { signature });
}

function handshake(i: number): FuzzRequest {
  const params: [string, string][] = [];
  const mode = rng.pick(['subscribe', 'unsubscribe', '', 'SUBSCRIBE', 'subscribe\u0000']);
  const token = rng.pick([SECRETS.waVerify, 'guessed', '', `${SECRETS.waVerify} `, 'constructor']);
  const challenge = rng.pick(['1158201444', '', '<script>alert(1)</script>', 'x'.repeat(5000), '%', '\u{1F600}', 'a&b=c']);
  if (rng.chance(0.9)) params.push(['hub.mode', mode]);
  if (rng.chance(0.9)) params.push(['hub.verify_token', token]);
  if (rng.chance(0.9)) params.push(['hub.challenge', challenge]);
  if (rng.chance(0.2)) params.push([rng.pick(['hub.mode', 'hub.verify_token', 'hub.challenge', 'hub.mode[]', '__proto__']), rng.pick(['subscribe', 'x', ''])]);
  let query = new URLSearchParams(params).toString();
  if (rng.chance(0.2)) query = mutateBytes(rng, Buffer.from(query)).value.toString('latin1').replace(/[\s#\u0000-\u001f\u007f-\u00ff]/g, '%25');
  return { method: 'GET', path: `/webhooks/whatsapp?${query}`, headers: {}, label: `handshake#${i} ${query.slice(0, 80)}` };
}

const effects = () => ({ slack: h.slack.calls.filter((c) => c.method !== 'auth.test').length, customer: h.graph.sent.length });

describe(`fuzz GET and POST /webhooks/whatsapp (seed ${seed})`, () => {
  const desk = fuzzDesk({ store: 'embedded', slack: { postRate: false, tierRate: false } });
  const watch = desk.watch;

  beforeAll(async () => { h = await desk.start(); });
  afterAll(() => desk.close());

  it('answers 300 mutated verification handshakes with 200 only for the right token and mode, echoing the challenge', async () => {
    const results = await sendAll(h.app.url, Array.from({ length: 300 }, (_, i) => handshake(i)));
    console.log(`[fuzz] GET /webhooks/whatsapp: ${JSON.stringify(statusCounts(results))}`);
    expectNoServerErrors(results);
    for (const r of results) expect([200, 400, 403], r.req.label).toContain(r.status);
    for (const r of results.filter((x) => x.status === 200)) {
      const q = new URL(r.req.path, 'http://x').searchParams;
      expect(q.get('hub.verify_token'), r.req.label).toBe(SECRETS.waVerify);
      expect(r.text, r.req.label).toBe(q.get('hub.challenge'));
    }
  });

  it('refuses 400 forged deliveries with 401, and none of them has any effect', async () => {
    const before = effects();
    const results = await sendAll(h.app.url, Array.from({ length: 400 }, (_, i) => forged(i)));
    expectAllRefused(results, [401]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(effects()).toEqual(before);
    expect(await h.app.store.getString(keys.customerConversation('whatsapp', SECRETS.phoneNumberId, '491709900000'))).toBeUndefined();
  });

  it('answers 1,100 signed mutated deliveries, deep and near-limit ones included, without a single 5xx', async () => {
    const big = textMessageWebhook(biz, { from: CUSTOMERS[0]!, id: newWamid(), body: '' }) as unknown as Record<string, unknown>;
    const { under, over } = nearLimitBodies((pad) => JSON.stringify({ ...big, pad }));
    const concurrent = await sendAll(h.app.url, [
      ...Array.from({ length: 1000 }, (_, i) => signedMutation(i)),
      post(under, 'just under 1 MiB'),
      post(over, 'just over 1 MiB', { mayReset: true }),
    ]);
    // Mutations that may leave two bodies with one message id (a duplicate in flight is answered 503 by design): one at a time.
    const sequential = await sendAll(h.app.url, Array.from({ length: 100 }, (_, i) => {
      const m = mutateJson(rng, rng.pick(bases)(rng.pick(CUSTOMERS)));
      return post(JSON.stringify(m.value), `sequential#${i} ${m.how}`);
    }), { concurrency: 1 });
    const results: FuzzResult[] = [...concurrent, ...sequential];
    console.log(`[fuzz] POST /webhooks/whatsapp signed: ${JSON.stringify(statusCounts(results))}`);
    expectNoServerErrors(results);
    for (const r of concurrent.filter((x) => x.req.label.includes(' deep '))) expect(r.status, r.req.label).toBe(400);
    expect(concurrent.at(-2)!.status, concurrent.at(-2)!.text.slice(0, 200)).toBe(200);
    expect([0, 413]).toContain(concurrent.at(-1)!.status);
    n = results.filter((r) => r.status === 200).length;
    expect(n).toBeGreaterThan(300);
  });

  it('still stores a correctly signed customer message afterwards; logged no caught failure and raised no process fault', async () => {
    const from = '491701239999';
    const body = JSON.stringify(textMessageWebhook(biz, { from, id: newWamid(), body: `after the fuzz ${seed}`, name: 'After' }));
    const [res] = await sendAll(h.app.url, [post(body, 'valid')]);
    expect(res!.status, res!.text).toBe(200);
    const convId = await h.app.store.getString(keys.customerConversation('whatsapp', SECRETS.phoneNumberId, from));
    expect(convId).toBeDefined();
    expect((await h.app.desk.conversations.transcript(convId!)).map((e) => JSON.stringify(e)).join('\n')).toContain(`after the fuzz ${seed}`);
    expect(failedRequestLines(h.logs)).toEqual([]);
    expect(watch.faults).toEqual([]);
  });
});
