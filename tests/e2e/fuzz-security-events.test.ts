import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signApiBody } from '../fakes/api/send-api-message.js';
import { deepJsonText, deepValue, fuzzSeed, mutateBytes, mutateJson, Rng } from '../support/fuzz.js';
import { expectAllRefused, expectNoServerErrors, failedRequestLines, nearLimitBodies, sendAll, statusCounts, fuzzDesk, type FuzzRequest } from '../support/fuzz-http.js';
import { SECRETS, type DeskHarness } from '../support/start-desk.js';

/**
 * Issue 9 fuzz, POST /api/security-events: forged events are never
 * processed, and signed mutated ones (a very deep `details` overflowed the
 * stack before) never get a 5xx.
 */

const seed = fuzzSeed('POST /api/security-events');
const rng = new Rng(seed);
let h: DeskHarness;
let n = 0;

const baseEvent = (id = `ev-${seed}-${++n}`) => ({
  id,
  type: rng.pick(['login.success', 'login.failure', 'data.export', 'config.change']),
  actor: rng.pick(['ana@example.com', 'ops-bot', 'casey']),
  at: new Date(Date.now() - rng.int(3600_000)).toISOString(),
  ...(rng.chance(0.5) ? { ip: '203.0.113.7', country: rng.pick(['DE', 'JP', 'BR']) } : {}),
  ...(rng.chance(0.3) ? { lat: 52.5, lon: 13.4 } : {}),
  ...(rng.chance(0.3) ? { device: 'Firefox on Linux' } : {}),
  ...(rng.chance(0.3) ? { rows: rng.int(50_000) } : {}),
  ...(rng.chance(0.5) ? { details: { reason: 'fuzz', nested: { list: [1, 2, { x: 'y' }] } } } : {}),
});

const sign = (body: string | Buffer) => `sha256=${createHmac('sha256', SECRETS.apiSecret).update(body).digest('hex')}`;
const request = (body: string | Buffer, label: string, o: { signature?: string | null; contentType?: string; mayReset?: boolean } = {}): FuzzRequest => {
  const signature = o.signature === undefined ? sign(body) : o.signature;
  return {
    method: 'POST', path: '/api/security-events', label,
    headers: { 'content-type': o.contentType ?? 'application/json', ...(signature !== null ? { 'x-signature': signature } : {}) },
    body, ...(o.mayReset ? { mayReset: true } : {}),
  };
};

/** Forged events whose body was not mutated, so a signed resend of the same body must still be new. */
const forgedIntact: string[] = [];

function forged(i: number): FuzzRequest {
  const intact = rng.chance(0.5);
  const raw = JSON.stringify(intact ? baseEvent(`forged-${seed}-${i}`) : mutateJson(rng, baseEvent(`forged-${seed}-${i}`)).value);
  if (intact) forgedIntact.push(raw);
  const good = sign(raw);
  const [mode, signature] = rng.pick<[string, string | null]>([
    ['none', null],
    ['other secret', signApiBody('not-the-inbound-secret-000', raw)],
    ['other body', sign(`${raw}\n`)],
    ['truncated', good.slice(0, 50)],
    ['upper-case prefix', good.replace('sha256=', 'SHA256=')],
    ['doubled', `${good},${good}`],
  ]);
  return request(raw, `forged#${i} (${mode})`, { signature });
}

function signedMutation(i: number): FuzzRequest {
  const roll = rng.int(100);
  if (roll < 50) {
    const m = mutateJson(rng, baseEvent());
    return request(JSON.stringify(m.value), `signed#${i} ${m.how}`);
  }
  if (roll < 72) {
    const m = mutateBytes(rng, Buffer.from(JSON.stringify(baseEvent())));
    return request(m.value, `signed#${i} ${m.how}`);
  }
  if (roll < 87) {
    // What overflowed the stack before: a deep `details`, written as text (JSON.stringify would overflow here first).
    const depth = rng.pick([33, 100, 5_000, 100_000]);
    const { details: _none, ...event } = baseEvent();
    const head = JSON.stringify(event).slice(0, -1);
    return request(`${head},"details":{"deep":${deepJsonText(depth, rng.chance(0.5) ? 'object' : 'array')}}}`, `signed#${i} deep details ${depth}`);
  }
  if (roll < 95) {
    const e = { ...baseEvent(), actor: rng.pick(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) };
    return request(JSON.stringify(e), `signed#${i} prototype actor ${e.actor}`);
  }
  const e = { ...baseEvent(), details: deepValue(rng.pick([20, 31])) };
  return request(JSON.stringify(e), `signed#${i} details nested ${JSON.stringify(e.details).split('{').length - 1}`);
}

const slackEffects = () => h.slack.calls.filter((c) => c.method !== 'auth.test').length;

describe(`fuzz POST /api/security-events (seed ${seed})`, () => {
  const desk = fuzzDesk({ store: 'embedded' });
  const watch = desk.watch;

  beforeAll(async () => { h = await desk.start(); });
  afterAll(() => desk.close());

  it('refuses 400 forged events with 401, and none of them was processed', async () => {
    const results = await sendAll(h.app.url, Array.from({ length: 400 }, (_, i) => forged(i)));
    expectAllRefused(results);
    expect(slackEffects()).toBe(0);
    // Had a forged event been processed, its id would be taken and the signed resend a duplicate (200).
    const resent = await sendAll(h.app.url, forgedIntact.map((raw, i) => request(raw, `resend#${i}`)));
    expect(resent.length).toBeGreaterThan(100);
    expect(statusCounts(resent)).toEqual({ 202: resent.length });
  });

  it('answers 1,000 signed mutated events, deep ones included, without a single 5xx', async () => {
    const big = baseEvent();
    const { under, over } = nearLimitBodies((pad) => JSON.stringify({ ...big, details: { pad } }));
    const requests = [
      ...Array.from({ length: 1000 }, (_, i) => signedMutation(i)),
      request(under, 'just under 1 MiB'),
      request(over, 'just over 1 MiB', { mayReset: true }),
    ];
    const results = await sendAll(h.app.url, requests);
    console.log(`[fuzz] POST /api/security-events signed: ${JSON.stringify(statusCounts(results))}`);
    expectNoServerErrors(results);
    const deep = results.filter((r) => r.req.label.includes('deep details'));
    expect(deep.length).toBeGreaterThan(50);
    for (const r of deep) expect(r.status, `${r.req.label}: ${r.text}`).toBe(400);
    for (const r of results.filter((x) => x.req.label.includes('prototype actor'))) expect(r.status, r.req.label).toBe(202);
    for (const r of results.filter((x) => x.req.label.includes('details nested'))) expect(r.status, r.req.label).toBe(202);
    expect(results.at(-2)!.status, results.at(-2)!.text.slice(0, 200)).toBe(202);
    expect([0, 413]).toContain(results.at(-1)!.status);
  });

  it('still processes a correctly signed event afterwards, logged no caught failure and raised no process fault', async () => {
    const [res] = await sendAll(h.app.url, [request(JSON.stringify(baseEvent(`after-${seed}`)), 'valid')]);
    expect(res!.status, res!.text).toBe(202);
    const [again] = await sendAll(h.app.url, [request(JSON.stringify(baseEvent(`after-${seed}`)), 'resend')]);
    expect(JSON.parse(again!.text)).toEqual({ status: 'duplicate' });
    expect(failedRequestLines(h.logs)).toEqual([]);
    expect(watch.faults).toEqual([]);
  });
});
