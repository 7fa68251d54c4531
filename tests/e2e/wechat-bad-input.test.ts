import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encrypt, msgSignature } from '../../src/channels/wechat/crypto.js';
import { buildKfCallback, type CallbackSecrets } from '../fakes/wecom/index.js';
import { fuzzSeed, mutateBytes, Rng } from '../support/fuzz.js';
import { expectNoServerErrors, sendAll, statusCounts, watchProcessFaults, type FuzzRequest } from '../support/fuzz-http.js';
import { startWechatDesk, type WechatDesk } from '../support/start-wechat-desk.js';

/**
 * Evil input on `GET|POST /webhooks/wechat` (SPEC §10): forged, garbled,
 * hostile-XML and oversized requests are answered 4xx, never 5xx, the
 * process never faults, and nothing of the bodies reaches the log.
 */
const seed = fuzzSeed('GET|POST /webhooks/wechat');
const rng = new Rng(seed);
let w: WechatDesk;
const watch = watchProcessFaults();
beforeAll(async () => { w = await startWechatDesk({ store: 'embedded' }); });
afterAll(async () => { watch.stop(); await w?.close(); });

const secrets = (): CallbackSecrets => ({ token: w.fake.callbackToken, encodingAesKey: w.fake.encodingAesKey, corpId: w.fake.corpId });
const now = () => Math.floor(Date.now() / 1000);
const post = (query: string, body: string | Buffer, label: string, mayReset = false): FuzzRequest => ({
  method: 'POST', path: `/webhooks/wechat?${query}`, headers: { 'content-type': 'text/xml' }, body, label, ...(mayReset ? { mayReset } : {}),
});
const get = (query: string, label: string): FuzzRequest => ({ method: 'GET', path: `/webhooks/wechat?${query}`, headers: {}, label });
/** A body whose Encrypt is `encrypted`, with a valid signature over it. */
const signedBody = (encrypted: string) => {
  const timestamp = String(now());
  const nonce = '12345';
  const query = new URLSearchParams({ msg_signature: msgSignature(w.fake.callbackToken, timestamp, nonce, encrypted), timestamp, nonce }).toString();
  return { query, body: `<xml><ToUserName><![CDATA[${w.fake.corpId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>` };
};

describe('evil input on /webhooks/wechat', () => {
  it('refuses forged callbacks with 401 and takes no action on them', async () => {
    const good = buildKfCallback(secrets(), { openKfId: w.fake.openKfId, syncToken: 'tok', timestampS: now() });
    const forged = new URLSearchParams(good.query);
    forged.set('msg_signature', 'f'.repeat(40));
    const wrongToken = buildKfCallback({ ...secrets(), token: 'NotOurToken' }, { openKfId: w.fake.openKfId, syncToken: 'tok', timestampS: now() });
    const results = await sendAll(w.h.app.url, [
      post(forged.toString(), good.body!, 'forged signature'),
      post(wrongToken.query, wrongToken.body!, 'signed with another token'),
      post('', good.body!, 'no query at all'),
      get('msg_signature=abc&timestamp=1&nonce=2&echostr=AAAA', 'GET with a bad signature'),
      get('', 'GET without parameters'),
    ]);
    expect(results.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    expect(w.fake.requests.filter((r) => r.path === '/cgi-bin/kf/sync_msg')).toHaveLength(0);
  });

  it('refuses garbage, hostile XML, undecryptable and oversized bodies with 4xx', async () => {
    const wrongCorp = signedBody(encrypt(w.fake.encodingAesKey, '<xml><Event>kf_msg_or_event</Event></xml>', 'wwSomeoneElse'));
    const good = encrypt(w.fake.encodingAesKey, '<xml><x>1</x></xml>', w.fake.corpId);
    // CBC: a flipped bit in the second-to-last AES block flips the same bit of the last block, which
    // holds only the receive id's tail and the padding, so the result is a wrong receive id or bad padding.
    const bytes = Buffer.from(good, 'base64');
    bytes[bytes.length - 17]! ^= 0x01;
    const flipped = signedBody(bytes.toString('base64'));
    const notBase64 = signedBody('not base64 at all!!');
    const shortBlock = signedBody(Buffer.alloc(16, 1).toString('base64'));
    const q = signedBody(good).query;
    const results = await sendAll(w.h.app.url, [
      post(q, 'this is not xml', 'plain text'),
      post(q, '<xml><Encrypt><![CDATA[abc', 'unclosed CDATA'),
      post(q, '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xml><Encrypt>&a;</Encrypt></xml>', 'DOCTYPE and entity'),
      post(q, '<xml><Encrypt><Encrypt>x</Encrypt></Encrypt></xml>', 'nested element'),
      post(q, '<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>', 'duplicate field'),
      post(wrongCorp.query, wrongCorp.body, 'encrypted for another corp id'),
      post(flipped.query, flipped.body, 'signed but garbled ciphertext'),
      post(notBase64.query, notBase64.body, 'signed but not base64'),
      post(shortBlock.query, shortBlock.body, 'signed but a 16-byte block'),
      post(q, Buffer.alloc(1024 * 1024 + 10, 0x41), 'over 1 MiB', true),
      post(q, `<xml><Encrypt><![CDATA[${'A'.repeat(1024 * 1024 - 64)}]]></Encrypt></xml>`, 'just under 1 MiB of base64', true),
    ]);
    expectNoServerErrors(results);
    for (const r of results) {
      if (r.status === 0) continue;
      expect(r.status, r.req.label).toBeGreaterThanOrEqual(400);
      expect(r.status, r.req.label).toBeLessThan(500);
    }
    expect(results.find((r) => r.req.label === 'over 1 MiB')?.status ?? 413).toBe(413);
    expect(w.fake.requests.filter((r) => r.path === '/cgi-bin/kf/sync_msg')).toHaveLength(0);
  });

  it('acknowledges a verified callback that is not kf_msg_or_event with 200 and pulls nothing', async () => {
    const other = signedBody(encrypt(w.fake.encodingAesKey, '<xml><ToUserName>x</ToUserName><MsgType>event</MsgType><Event>kf_account_auth_change</Event></xml>', w.fake.corpId));
    const [r] = await sendAll(w.h.app.url, [post(other.query, other.body, 'another event')]);
    expect(r!.status).toBe(200);
    expect(w.fake.requests.filter((x) => x.path === '/cgi-bin/kf/sync_msg')).toHaveLength(0);
  });

  it('never answers 5xx to mutated callbacks, never faults, and keeps bodies out of the log', async () => {
    const requests: FuzzRequest[] = [];
    for (let i = 0; i < 120; i += 1) {
      const built = buildKfCallback(secrets(), { openKfId: w.fake.openKfId, syncToken: `tok-${i}`, timestampS: now() });
      const m = mutateBytes(rng, Buffer.from(built.body!));
      requests.push(post(built.query, m.value, `mutated#${i} ${m.how}`));
    }
    const results = await sendAll(w.h.app.url, requests, { concurrency: 4 });
    expectNoServerErrors(results);
    expect(watch.faults).toEqual([]);
    const counts = statusCounts(results);
    expect(Object.keys(counts).every((s) => Number(s) < 500), JSON.stringify(counts)).toBe(true);
    const logs = w.h.logs.join('');
    expect(logs).not.toContain('<Encrypt>');
    // A stretch of a body the mutations left long (a cut one may be shorter than 60 bytes, and the
    // empty stretch it would give is in every log).
    const stretch = requests.map((r) => r.body!.toString()).find((b) => b.length >= 100)!.slice(60, 100);
    expect(stretch).toHaveLength(40);
    expect(logs).not.toContain(stretch);
    // Still serving: the URL verification answers as before.
    expect((await w.fake.verifyCallbackUrl({ echo: '42' })).body).toBe('42');
  });
});
