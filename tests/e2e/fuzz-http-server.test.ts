import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signApiBody } from '../fakes/api/send-api-message.js';
import { fuzzSeed, mutateBytes, Rng } from '../support/fuzz.js';
import { failedRequestLines, sendAll, watchProcessFaults } from '../support/fuzz-http.js';
import { SECRETS, startDesk, type DeskHarness } from '../support/start-desk.js';
import { freePort, spawnBot } from '../support/spawn-bot.js';

/**
 * Issue 9 fuzz of the server itself: request lines, targets, methods,
 * headers and framing, written byte for byte on raw sockets (Node's client
 * would refuse to send most of them). No answer may be ≥ 500, and the
 * process must serve a valid signed request afterwards.
 */

const seed = fuzzSeed('HTTP server (targets, methods, headers)');
const rng = new Rng(seed);
let h: DeskHarness;

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'BREW', 'get', 'G ET', '', 'GET\u0000', 'CONNECT'];
const PATHS = ['/healthz', '/readyz', '/metrics', '/slack/events', '/webhooks/whatsapp', '/api/messages', '/api/security-events', '/telegram/webhook', '/'];
const NASTY_TARGETS = [
  '//', '//@', '//[', '//]', '//:', '//@:', '//a:b@c', '///healthz', '/%', '/%zz', '/%FF', '/%C0%AF', '/%00', '/%2e%2e/healthz', '/..', '/../../etc/passwd',
  'http://evil.example/healthz', 'https://127.0.0.1/healthz', 'http://[::1', '*', '/\\evil.example/healthz', '/\\', '/healthz#frag', '/healthz?%', '/healthz?a=%zz&b', '/healthz?&&&==',
  `/${'a'.repeat(9000)}`, `/healthz?${'q=1&'.repeat(3000)}`, '/HEALTHZ', '/healthz/', '/é', '/\u00ff', 'healthz', '', ' ', '/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=%FF&hub.challenge=%',
];
const HEADER_SETS: (() => string[])[] = [
  () => [],
  () => ['Content-Length: -1'],
  () => ['Content-Length: abc'],
  () => ['Content-Length: 1e3'],
  () => ['Content-Length: 5', 'Content-Length: 6'],
  () => ['Content-Length: 99999999999999999999'],
  () => ['Content-Length: 3', 'Transfer-Encoding: chunked'],
  () => ['Transfer-Encoding: gzip'],
  () => ['Transfer-Encoding: chunked'],
  () => [`X-Big: ${'a'.repeat(20_000)}`],
  () => Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`),
  () => ['NoColonHere'],
  () => ['Bad Name: v'],
  () => ['X-Fold: a', ' folded continuation'],
  () => ['X-Nul: a\u0000b'],
  () => ['Expect: 100-continue', 'Content-Length: 2'],
  () => ['Connection: Upgrade', 'Upgrade: websocket'],
  () => ['Content-Type: application/json', 'X-Signature: sha256=zz'],
  () => ['X-Slack-Signature: v0=00', 'X-Slack-Request-Timestamp: 99999999999999999999'],
  () => ['Host: a', 'Host: b'],
];
const BODIES = ['', '{}', 'null', '[]', 'a'.repeat(100), '0\r\n\r\n', '5\r\nhello\r\n0\r\n\r\n', 'zz\r\nbad chunk\r\n', '\u0000\u0001\u0002'];

/** One request, assembled from parts and then (sometimes) mutated byte-wise. */
function rawRequest(i: number): { bytes: Buffer; label: string } {
  const method = rng.chance(0.7) ? rng.pick(METHODS.slice(0, 7)) : rng.pick(METHODS);
  const target = rng.chance(0.5) ? rng.pick(NASTY_TARGETS) : rng.pick(PATHS);
  const version = rng.chance(0.9) ? 'HTTP/1.1' : rng.pick(['HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTP/1', 'http/1.1', '']);
  const headers = rng.chance(0.5) ? rng.pick(HEADER_SETS)() : [];
  const body = rng.chance(0.4) ? rng.pick(BODIES) : '';
  const length = headers.some((x) => /^(content-length|transfer-encoding)/i.test(x)) || !body ? [] : [`Content-Length: ${Buffer.byteLength(body)}`];
  const text = `${method} ${target} ${version}\r\nHost: 127.0.0.1\r\n${[...headers, ...length].map((x) => `${x}\r\n`).join('')}Connection: close\r\n\r\n${body}`;
  const label = `#${i} ${method.slice(0, 10)} ${target.slice(0, 40)} ${version} [${headers.map((x) => x.slice(0, 30)).join(' | ')}]`;
  if (rng.chance(0.3)) {
    const m = mutateBytes(rng, Buffer.from(text, 'latin1'));
    return { bytes: m.value, label: `${label} ${m.how}` };
  }
  return { bytes: Buffer.from(text, 'latin1'), label };
}

interface RawAnswer { status: number; label: string }

/** Writes the bytes, half-closes, and reads the final status (1xx skipped; 0: closed without one). */
function exchange(port: number, bytes: Buffer, label: string): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ status: finalStatus() ?? 0, label });
    };
    const finalStatus = () => [...Buffer.concat(chunks).toString('latin1').matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1])).find((x) => x >= 200);
    socket.setTimeout(3000, finish);
    socket.on('data', (c: Buffer) => { chunks.push(c); if (finalStatus()) finish(); });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.end(bytes);
  });
}

async function runAll(port: number, items: { bytes: Buffer; label: string }[], concurrency = 16): Promise<RawAnswer[]> {
  const out: RawAnswer[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) { const i = next++; out[i] = await exchange(port, items[i]!.bytes, items[i]!.label); }
  }));
  return out;
}

describe(`fuzz the HTTP server: targets, methods, headers, framing (seed ${seed})`, () => {
  const watch = watchProcessFaults();
  let port = 0;

  beforeAll(async () => {
    h = await startDesk({ store: 'embedded' });
    port = Number(new URL(h.app.url).port);
  });
  afterAll(async () => {
    watch.stop();
    await h?.close();
  });

  it('answers GET //, //@ and //[ with 400', async () => {
    const answers = await runAll(port, ['//', '//@', '//['].map((t) => ({ bytes: Buffer.from(`GET ${t} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`), label: t })));
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400]);
  });

  it('answers 1,500 malformed and mutated requests without a single 5xx', async () => {
    const items = Array.from({ length: 1500 }, (_, i) => rawRequest(i));
    const answers = await runAll(port, items);
    const counts: Record<number, number> = {};
    for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
    console.log(`[fuzz] HTTP server: ${JSON.stringify(counts)} (0 = closed without a status line)`);
    const serverErrors = answers.filter((a) => a.status >= 500);
    expect(serverErrors.length, serverErrors.slice(0, 10).map((a) => `${a.status} ${a.label}`).join('\n')).toBe(0);
    // Most requests get a status line; a connection closed without one is a request cut short (no complete head).
    expect(answers.filter((a) => a.status >= 400 && a.status < 500).length).toBeGreaterThan(500);
  });

  it('answers GET //, //@ and //[ with 400 in the real process too (src/main.ts), which keeps running and still stops cleanly on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'threaddesk-fuzz-process-'));
    const port = await freePort();
    const bot = await spawnBot({
      PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn',
      SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRETS.slackSigning, SLACK_CHANNEL: 'C0SUPPORT', SLACK_API_URL: h.slack.url,
      INBOUND_API_SECRET: SECRETS.apiSecret,
    });
    try {
      const answers = await runAll(port, ['//', '//@', '//['].map((t) => ({ bytes: Buffer.from(`GET ${t} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`), label: t })));
      expect(answers.map((a) => a.status)).toEqual([400, 400, 400]);
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
      expect(bot.child.exitCode).toBeNull();
      bot.child.kill('SIGTERM');
      expect(await bot.exited).toBe(0);
    } finally {
      bot.child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('still serves health, and a valid signed request, afterwards; logged no caught failure and raised no process fault', async () => {
    const raw = JSON.stringify({ source: 'crm', message_id: `after-${seed}`, customer: { id: 'c-after' }, text: 'still here' });
    const [health, api] = await sendAll(h.app.url, [
      { method: 'GET', path: '/healthz', headers: {}, label: 'health' },
      { method: 'POST', path: '/api/messages', headers: { 'content-type': 'application/json', 'x-signature': signApiBody(SECRETS.apiSecret, raw) }, body: raw, label: 'valid' },
    ]);
    expect(health!.status).toBe(200);
    expect(api!.status, api!.text).toBe(202);
    expect(failedRequestLines(h.logs)).toEqual([]);
    expect(watch.faults).toEqual([]);
  });
});
