import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { WecomAccessTokens } from '../../src/channels/wechat/access-token.js';
import { WecomClient } from '../../src/channels/wechat/wecom-client.js';
import type { StorePort } from '../../src/core/ports.js';
import { createLogger } from '../../src/runtime/logger.js';
import { randomHex } from '../../src/runtime/random-hex.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { startWecomFake, type WecomFake } from '../fakes/wecom/index.js';
import { embeddedHarness, redisHarness, type StoreHarness } from './store-harnesses.js';

const silent = createLogger('silent', new Writable({ write(_c, _e, cb) { cb(); } }));

describe.each<() => StoreHarness>([embeddedHarness, redisHarness])('the WeCom access token shared in the store', (makeHarness) => {
  const harness = makeHarness();
  let fake: WecomFake;
  let a: StorePort;
  let b: StorePort;
  beforeAll(async () => {
    fake = await startWecomFake({ latencyMs: 20 });
    a = await harness.open();
    b = harness.name === 'redis' ? await harness.open() : a;
  });
  afterAll(async () => {
    if (b !== a) await b.close();
    await a.close();
    await fake.close();
    await harness.cleanup();
  });

  const tokensOn = (store: StorePort) => new WecomAccessTokens({ apiUrl: fake.url, corpId: fake.corpId, secret: fake.corpSecret, store, clock: systemClock, newId: () => randomHex(8), log: silent });
  const gettokens = () => fake.requests.filter((r) => r.path === '/cgi-bin/gettoken').length;

  it(`is fetched once for many callers on two replicas, then refreshed once when WeCom says it expired (${harness.name})`, async () => {
    const one = tokensOn(a);
    const two = tokensOn(b);
    const first = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? one : two).current()));
    expect(gettokens()).toBe(1);
    expect(new Set(first.map((r) => (r.ok ? r.value : r.error.errcode))).size).toBe(1);

    fake.expireAccessTokens();
    const stale = first[0]!.ok ? first[0]!.value : '';
    const refreshed = await Promise.all([one.refresh(stale), two.refresh(stale), one.refresh(stale)]);
    expect(gettokens()).toBe(2);
    expect(new Set(refreshed.map((r) => (r.ok ? r.value : 'failed'))).size).toBe(1);
    expect(refreshed[0]).not.toEqual(first[0]);

    // A call answered 42001 refreshes and is retried once, with the new token.
    fake.expireAccessTokens();
    const client = new WecomClient(fake.url, one);
    const state = await client.post<{ service_state: number }>('/cgi-bin/kf/service_state/get', { open_kfid: fake.openKfId, external_userid: 'wmX' });
    expect(state.ok).toBe(true);
    expect(gettokens()).toBe(3);
  });

  it(`names the fix when the secret is wrong, without logging it (${harness.name})`, async () => {
    const lines: string[] = [];
    const log = createLogger('info', new Writable({ write(c, _e, cb) { lines.push(String(c)); cb(); } }));
    const store = a;
    await store.delete(`wechat:access-token:${fake.corpId}`);
    const bad = new WecomAccessTokens({ apiUrl: fake.url, corpId: fake.corpId, secret: 'wrong-secret-value', store, clock: systemClock, newId: () => randomHex(8), log });
    const r = await bad.refresh();
    expect(r.ok ? 0 : r.error.errcode).toBe(40001);
    expect(lines.join('')).toContain('WECOM_SECRET');
    expect(lines.join('')).not.toContain('wrong-secret-value');
  });
});
