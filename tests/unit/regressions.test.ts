import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { AuditLog } from '../../src/core/audit-log.js';
import { sha256Hex } from '../../src/runtime/sha256-hex.js';
import { keys } from '../../src/core/keys.js';
import { signHmacSha256, verifyHmacSha256 } from '../../src/channels/verify-hmac.js';
import { startDesk, SECRETS, type DeskHarness } from '../support/start-desk.js';
import { signApiBody } from '../fakes/api/send-api-message.js';
import { MemoryAtomic } from './memory-atomic.js';

/**
 * Bugs once found in src/ while writing the bad-input, config and unit tests,
 * kept as regression tests: each states what must happen.
 */

const noFile = (): string => {
  const err = new Error('ENOENT') as NodeJS.ErrnoException;
  err.code = 'ENOENT';
  throw err;
};

describe('regression: a config file problem must not hide the environment problems', () => {
  // src/config/load-config.ts:58 returns as soon as the file fails its schema.
  it('lists the unknown config key and the missing messenger and customer channel together', () => {
    const result = loadConfig({ CONFIG_FILE: 'bot.yaml' }, () => 'desk:\n  first_replier_claim: false\n');
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems.some((p) => p.includes('first_replier_claim'))).toBe(true);
    expect(problems.some((p) => p.includes('No messenger') && p.includes('SLACK_BOT_TOKEN'))).toBe(true);
    expect(problems.some((p) => p.includes('No customer channel') && p.includes('INBOUND_API_SECRET'))).toBe(true);
  });
});

describe('regression: appending after the newest audit entry was deleted must not hide the deletion', () => {
  // src/core/audit-log.ts:53 walks back past a missing head entry and writes the new entry in its place.
  it('still names the deleted entry after the next append', async () => {
    const atomic = new MemoryAtomic();
    let t = Date.UTC(2026, 2, 1);
    const log = new AuditLog(atomic, { now: () => (t += 1000), sleep: async (ms) => { t += ms; } }, sha256Hex);
    for (const actor of ['a', 'b', 'c', 'd', 'e']) await log.append({ action: 'role.grant', actor, outcome: 'ok' });
    await atomic.deleteString(keys.auditEntry(5));
    expect(await log.verify()).toMatchObject({ intact: false, brokenAt: 5 });

    await log.append({ action: 'chat.claim', actor: 'f' });
    expect(await log.verify()).toMatchObject({ intact: false, brokenAt: 5 });
  });
});

describe('regression: verifyHmacSha256 must refuse a signature header with trailing junk', () => {
  // src/channels/verify-hmac.ts:11: Buffer.from(…, 'hex') stops at the first non-hex character.
  it('refuses sha256=<valid digest> followed by anything else', () => {
    const body = Buffer.from('{"source":"crm"}');
    const good = signHmacSha256(SECRETS.apiSecret, body);
    expect(verifyHmacSha256(SECRETS.apiSecret, body, good)).toBe(true);
    for (const sig of [`${good}zz`, `${good}0`, `${good} extra`, `${good}\u0000`]) {
      expect(verifyHmacSha256(SECRETS.apiSecret, body, sig), JSON.stringify(sig)).toBe(false);
    }
  });
});

describe('regression: every refused request leaves a log line', () => {
  let h: DeskHarness;
  let base: URL;
  beforeAll(async () => {
    h = await startDesk({ store: 'embedded' });
    base = new URL(h.app.url);
  });
  afterAll(async () => { await h?.close(); });

  const send = (method: string, path: string, headers: Record<string, string>, body?: string) =>
    new Promise<{ status: number; requestId: string }>((resolve, reject) => {
      const req = http.request({ host: base.hostname, port: base.port, method, path, headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) }, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, requestId: String(res.headers['x-request-id']) }));
      });
      req.on('error', reject);
      req.end(body);
    });
  const loggedWith = (requestId: string) =>
    h.logs.flatMap((l) => l.split('\n').filter(Boolean)).some((l) => { try { return (JSON.parse(l) as { requestId?: string }).requestId === requestId; } catch { return false; } });

  // src/channels/api/routes.ts:33 answers 400 without logging.
  it('logs a signed API message whose body is not JSON', async () => {
    const raw = '{"source":"crm",';
    const a = await send('POST', '/api/messages', { 'content-type': 'application/json', 'x-signature': signApiBody(SECRETS.apiSecret, raw) }, raw);
    expect(a.status).toBe(400);
    expect(loggedWith(a.requestId)).toBe(true);
  });

  // src/channels/api/routes.ts:43 answers 422 unknown_source without logging.
  it('logs a signed API message from a source that is not configured', async () => {
    const raw = JSON.stringify({ source: 'erp', message_id: 'm-1', customer: { id: 'c-1' }, text: 'hi' });
    const a = await send('POST', '/api/messages', { 'content-type': 'application/json', 'x-signature': signApiBody(SECRETS.apiSecret, raw) }, raw);
    expect(a.status).toBe(422);
    expect(loggedWith(a.requestId)).toBe(true);
  });

  // src/http/server.ts:28 answers 404 without logging.
  it('logs a request for an unknown path', async () => {
    const a = await send('GET', '/wp-login.php', {});
    expect(a.status).toBe(404);
    expect(loggedWith(a.requestId)).toBe(true);
  });
});
