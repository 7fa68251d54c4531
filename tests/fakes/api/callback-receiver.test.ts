import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postApiMessage, signApiBody } from './send-api-message.js';
import { startCallbackReceiver, verifyApiSignature, type CallbackReceiver } from './start-callback-receiver.js';

const SECRET = 'inbound-api-secret';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function receiver(rejectInvalidSignature?: boolean): Promise<CallbackReceiver> {
  const r = await startCallbackReceiver(
    rejectInvalidSignature === undefined ? { secret: SECRET } : { secret: SECRET, rejectInvalidSignature },
  );
  cleanups.push(() => r.close());
  return r;
}

/** Posts like the bot does: raw JSON signed with the shared secret, computed here independently. */
function deliver(url: string, raw: string, signature: string | null): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== null) headers['x-signature'] = signature;
  return fetch(`${url}/callbacks/replies`, { method: 'POST', headers, body: raw });
}

const hmac = (raw: string) => `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}`;

describe('callback receiver', () => {
  it('records a correctly signed callback as valid and answers 200', async () => {
    const r = await receiver();
    const raw = JSON.stringify({ conversationId: 'c-1', text: 'Your refund is on its way', agent: 'Ana' });

    const res = await deliver(r.url, raw, hmac(raw));

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(r.received).toHaveLength(1);
    expect(r.received[0]).toMatchObject({
      method: 'POST',
      path: '/callbacks/replies',
      body: { conversationId: 'c-1', text: 'Your refund is on its way', agent: 'Ana' },
      rawBody: raw,
      signatureValid: true,
      responseStatus: 200,
    });
    expect(r.received[0]!.headers['x-signature']).toBe(hmac(raw));
  });

  it('marks missing, wrong-secret and tampered signatures invalid and answers 401', async () => {
    const r = await receiver();
    const raw = JSON.stringify({ text: 'hello' });
    const wrongSecret = `sha256=${createHmac('sha256', 'other-secret').update(raw).digest('hex')}`;

    const answers = [
      await deliver(r.url, raw, null),
      await deliver(r.url, raw, wrongSecret),
      await deliver(r.url, `${raw} `, hmac(raw)),
      await deliver(r.url, raw, 'sha256=short'),
    ];

    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401]);
    expect(r.received.map((c) => c.signatureValid)).toEqual([false, false, false, false]);
  });

  it('can record badly signed callbacks without refusing them', async () => {
    const r = await receiver(false);
    const res = await deliver(r.url, '{"text":"x"}', null);
    expect(res.status).toBe(200);
    expect(r.received[0]!.signatureValid).toBe(false);
  });

  it('fails the next N callbacks with the given status and Retry-After, then accepts again', async () => {
    const r = await receiver();
    r.failNext(2, { status: 503, retryAfter: 7 });
    const raw = JSON.stringify({ text: 'retry me' });

    const answers: Response[] = [];
    for (let i = 0; i < 3; i += 1) answers.push(await deliver(r.url, raw, hmac(raw)));

    expect(answers.map((a) => a.status)).toEqual([503, 503, 200]);
    expect(answers.map((a) => a.headers.get('retry-after'))).toEqual(['7', '7', null]);
    expect(r.received.map((c) => c.responseStatus)).toEqual([503, 503, 200]);
    expect(r.received.every((c) => c.signatureValid)).toBe(true);
  });

  it('waitFor resolves when the callback arrives and rejects when it never does', async () => {
    const r = await receiver();
    const raw = '{"text":"late"}';
    setTimeout(() => void deliver(r.url, raw, hmac(raw)), 30);

    const got = await r.waitFor((x) => x.received.find((c) => c.rawBody === raw), 2_000);
    expect(got.signatureValid).toBe(true);
    await expect(r.waitFor((x) => x.received.length > 5, 50)).rejects.toThrow(/not met within 50 ms/);
    r.reset();
    expect(r.received).toHaveLength(0);
  });

  it('verifyApiSignature accepts only the exact HMAC', () => {
    const raw = '{"a":1}';
    expect(verifyApiSignature(SECRET, raw, hmac(raw))).toBe(true);
    expect(verifyApiSignature(SECRET, raw, hmac(raw).toUpperCase())).toBe(false);
    expect(verifyApiSignature(SECRET, raw, undefined)).toBe(false);
  });
});

describe('sending to the generic API', () => {
  it('signApiBody matches RFC 4231 test case 2 (key "Jefe")', () => {
    expect(signApiBody('Jefe', 'what do ya want for nothing?')).toBe(
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('postApiMessage posts the raw body to /api/messages with X-Signature, or without it when told', async () => {
    const seen: Array<{ path: string; headers: IncomingHttpHeaders; raw: string }> = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ path: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end('{"accepted":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const message = { externalId: 'm-1', customer: { id: 'u-7', name: 'Bo' }, text: 'Hi, my login fails' };

    expect(await postApiMessage(base, SECRET, message)).toEqual({ status: 202, text: '{"accepted":true}' });
    await postApiMessage(base, SECRET, message, { signature: null });
    await postApiMessage(base, SECRET, message, { signature: 'sha256=00' });

    expect(seen[0]!.path).toBe('/api/messages');
    expect(seen[0]!.raw).toBe(JSON.stringify(message));
    expect(seen[0]!.headers['x-signature']).toBe(hmac(JSON.stringify(message)));
    expect(seen[1]!.headers['x-signature']).toBeUndefined();
    expect(seen[2]!.headers['x-signature']).toBe('sha256=00');
  });
});
