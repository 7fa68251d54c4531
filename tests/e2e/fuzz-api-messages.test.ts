import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signApiBody } from '../fakes/api/send-api-message.js';
import { deepJsonText, fuzzSeed, mutateBytes, mutateJson, Rng, uniqueAt } from '../support/fuzz.js';
import { expectAllRefused, expectNoServerErrors, failedRequestLines, nearLimitBodies, sendAll, statusCounts, fuzzDesk, type FuzzRequest } from '../support/fuzz-http.js';
import { SECRETS, type DeskHarness } from '../support/start-desk.js';

/**
 * Issue 9 fuzz, POST /api/messages: forged requests never take effect, and
 * signed but mutated bodies (the parser path) never get a 5xx; a
 * prototype name as `source` is refused 422.
 */

const seed = fuzzSeed('POST /api/messages');
const rng = new Rng(seed);
let h: DeskHarness;
let n = 0;

const baseMessage = () => ({
  source: 'crm',
  message_id: `fuzz-${seed}-${++n}`,
  customer: { id: `cust-${rng.int(5)}`, name: 'Casey Fuzz' },
  text: `fuzzed hello ${n}`,
  ...(rng.chance(0.3) ? { attachments: [{ url: 'https://files.example.com/a.pdf', name: 'a.pdf' }] } : {}),
  ...(rng.chance(0.3) ? { sent_at: new Date().toISOString() } : {}),
});

const request = (body: string | Buffer, label: string, o: { signature?: string | null; contentType?: string; mayReset?: boolean } = {}): FuzzRequest => {
  const signature = o.signature === undefined ? signApiBody(SECRETS.apiSecret, body.toString()) : o.signature;
  return {
    method: 'POST', path: '/api/messages', label,
    headers: { 'content-type': o.contentType ?? 'application/json', ...(signature !== null ? { 'x-signature': signature } : {}) },
    body, ...(o.mayReset ? { mayReset: true } : {}),
  };
};

/** Body bytes signed exactly as sent (a Buffer keeps mutated bytes that are not UTF-8). */
const signedBytes = (body: Buffer, label: string, contentType?: string): FuzzRequest => ({
  method: 'POST', path: '/api/messages', label,
  headers: { 'content-type': contentType ?? 'application/json', 'x-signature': `sha256=${createHmac('sha256', SECRETS.apiSecret).update(body).digest('hex')}` },
  body,
});

function forged(i: number): FuzzRequest {
  const raw = JSON.stringify(rng.chance(0.5) ? baseMessage() : mutateJson(rng, baseMessage()).value);
  const good = signApiBody(SECRETS.apiSecret, raw);
  const modes: [string, string | null][] = [
    ['none', null],
    ['other secret', signApiBody('not-the-inbound-secret-000', raw)],
    ['other body', signApiBody(SECRETS.apiSecret, `${raw} `)],
    ['truncated', good.slice(0, 40)],
    ['sha1 prefix', good.replace('sha256=', 'sha1=')],
    ['no prefix', good.slice('sha256='.length)],
    ['one hex digit changed', good.slice(0, -1) + (good.endsWith('0') ? '1' : '0')],
    ['empty', ''],
  ];
  const [mode, signature] = rng.pick(modes);
  return request(raw, `forged#${i} (${mode})`, { signature });
}

function signedMutation(i: number): FuzzRequest {
  const roll = rng.int(100);
  if (roll < 55) {
    const m = mutateJson(rng, baseMessage());
    return request(JSON.stringify(uniqueAt(m.value, ['message_id'], String(i))), `signed#${i} ${m.how}`);
  }
  if (roll < 80) {
    const m = mutateBytes(rng, Buffer.from(JSON.stringify(baseMessage())));
    return signedBytes(m.value, `signed#${i} ${m.how}`);
  }
  if (roll < 88) {
    const raw = JSON.stringify(baseMessage());
    const contentType = rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', '']);
    return request(raw, `signed#${i} content-type "${contentType}"`, { contentType });
  }
  if (roll < 94) {
    const depth = rng.pick([33, 64, 1000, 50_000]);
    return request(rng.chance(0.5) ? deepJsonText(depth) : `{"source":"crm","text":${deepJsonText(depth, 'array')}}`, `signed#${i} deep ${depth}`);
  }
  const raw = rng.pick(['', 'null', '[]', '0', '"text"', '{}', '{"__proto__":{"source":"crm"}}', '\ufeff{}']);
  return request(raw, `signed#${i} literal ${JSON.stringify(raw)}`);
}

/** Slack calls that would show in the workspace. */
const slackEffects = () => h.slack.calls.filter((c) => c.method !== 'auth.test').length;

describe(`fuzz POST /api/messages (seed ${seed})`, () => {
  const desk = fuzzDesk({ store: 'embedded' });
  const watch = desk.watch;

  beforeAll(async () => { h = await desk.start(); });
  afterAll(() => desk.close());

  it('refuses 400 forged requests with 401, and none of them has any effect', async () => {
    const results = await sendAll(h.app.url, Array.from({ length: 400 }, (_, i) => forged(i)));
    expectAllRefused(results);
    await new Promise((r) => setTimeout(r, 500));
    expect(slackEffects()).toBe(0);
    expect(h.callbacks.received).toEqual([]);
    expect(await h.app.desk.outbox.pendingCount()).toBe(0);
  });

  it('answers 1,000 signed mutated bodies, deep and near-limit ones included, without a single 5xx', async () => {
    const big = baseMessage();
    const { under, over } = nearLimitBodies((pad) => JSON.stringify({ ...big, text: pad }));
    const requests = [
      ...Array.from({ length: 1000 }, (_, i) => signedMutation(i)),
      request(under, 'just under 1 MiB'),
      request(over, 'just over 1 MiB', { mayReset: true }),
    ];
    const results = await sendAll(h.app.url, requests);
    console.log(`[fuzz] POST /api/messages signed: ${JSON.stringify(statusCounts(results))}`);
    expectNoServerErrors(results);
    const deep = results.filter((r) => r.req.label.includes(' deep '));
    expect(deep.length).toBeGreaterThan(0);
    for (const r of deep) expect(r.status, r.req.label).toBe(400);
    expect(results.at(-2)!.status, results.at(-2)!.text.slice(0, 300)).toBe(422);
    expect([0, 413]).toContain(results.at(-1)!.status);
  });

  it('answers message ids that are prototype names, empty or numeric, one at a time, without a 5xx', async () => {
    const ids = ['constructor', '__proto__', 'toString', 'hasOwnProperty', '0', '-1', ' ', 'null'];
    const requests = ids.flatMap((id) => [request(JSON.stringify({ ...baseMessage(), message_id: id }), `message_id ${id}`), request(JSON.stringify({ ...baseMessage(), message_id: id }), `message_id ${id} again`)]);
    const results = await sendAll(h.app.url, requests, { concurrency: 1 });
    expectNoServerErrors(results);
    // The first of each pair is new, the second a duplicate.
    expect(results.map((r) => r.status)).toEqual(ids.flatMap(() => [202, 200]));
  });

  it('refuses a source named after an Object.prototype member with 422', async () => {
    const sources = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
    const results = await sendAll(h.app.url, sources.map((source) => request(JSON.stringify({ ...baseMessage(), source }), `source ${source}`)));
    for (const r of results) expect(r.status, r.req.label).toBe(422);
    // `constructor` fits the source pattern: only the own-property lookup of the configured sources refuses it.
    expect(JSON.parse(results[0]!.text)).toMatchObject({ error: 'unknown_source', message: expect.stringContaining('api.sources') });
  });

  it('still takes a correctly signed message afterwards, logged no caught failure and raised no process fault', async () => {
    const message = { ...baseMessage(), customer: { id: `after-${seed}` }, text: `after the fuzz ${seed}` };
    const [res] = await sendAll(h.app.url, [request(JSON.stringify(message), 'valid')]);
    expect(res!.status, res!.text).toBe(202);
    const conv = await h.app.desk.conversations.get((JSON.parse(res!.text) as { conversation_id: string }).conversation_id);
    expect(conv?.customer.id).toBe(`after-${seed}`);
    expect(failedRequestLines(h.logs)).toEqual([]);
    expect(watch.faults).toEqual([]);
  });
});
