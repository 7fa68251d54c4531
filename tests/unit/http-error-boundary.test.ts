import net from 'node:net';
import type http from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer, listen } from '../../src/http/server.js';
import { parseRequestTarget } from '../../src/http/parse-target.js';
import { jsonTooDeep } from '../../src/http/json-depth.js';
import { json, type HttpResponse, type Route, type RouteHandler } from '../../src/http/types.js';
import { createLogger } from '../../src/runtime/logger.js';
import { Metrics } from '../../src/runtime/metrics.js';

/**
 * SPEC §10 "No request can stop the process": request targets `new URL`
 * cannot read are a 400, and whatever a route throws (synchronously, by
 * rejecting, or by building a response Node refuses) is a 500 whose reference
 * is in the body, the `x-request-id` header and the log, while the server
 * goes on serving.
 */

/** The body of a `Transfer-Encoding: chunked` answer. */
function dechunk(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const eol = text.indexOf('\r\n', at);
    const size = parseInt(text.slice(at, eol), 16);
    if (!size) return out;
    out += text.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

describe('parseRequestTarget', () => {
  it.each([
    ['/healthz', '/healthz', ''],
    ['/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1', '/webhooks/whatsapp', 'hub.mode=subscribe&hub.challenge=1'],
    ['/a/../healthz', '/healthz', ''],
    ['/caf%C3%A9?q=%20', '/caf%C3%A9', 'q=+'],
    ['/healthz?bad=%zz', undefined, undefined],
  ])('reads %s', (raw, path, query) => {
    const r = parseRequestTarget(raw);
    if (path === undefined) { expect(r.ok).toBe(false); return; }
    expect(r).toMatchObject({ ok: true, target: { path } });
    if (r.ok) expect(r.target.query.toString()).toBe(query);
  });

  it.each(['//', '//@', '//[', '//evil.example/healthz', '/\\evil.example/healthz', 'http://localhost/healthz', 'https://evil.example/x', '*', '', '/%', '/%zz', '/%FF', '/healthz#top', 'healthz'])('refuses %j with a sentence saying why', (raw) => {
    const r = parseRequestTarget(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^The request target .+\.$/);
  });
});

describe('jsonTooDeep', () => {
  it('counts nesting outside strings only and stops at the limit', () => {
    expect(jsonTooDeep('{"a":[{"b":[]}]}', 4)).toBe(false);
    expect(jsonTooDeep('{"a":[{"b":[{}]}]}', 4)).toBe(true);
    expect(jsonTooDeep(`{"text":"${'['.repeat(1000)}"}`, 4)).toBe(false);
    expect(jsonTooDeep(`{"text":"\\"${'{'.repeat(10)}"}`, 4)).toBe(false);
    expect(jsonTooDeep(Buffer.from(`${'['.repeat(33)}${']'.repeat(33)}`))).toBe(true);
    expect(jsonTooDeep(Buffer.from(`${'['.repeat(32)}${']'.repeat(32)}`))).toBe(false);
  });
});

describe('the HTTP server error boundary', () => {
  const logs: string[] = [];
  let server: http.Server;
  let port = 0;
  const syncThrow = (() => { throw new Error('thrown before any await'); }) as unknown as RouteHandler;
  const routes: Route[] = [
    { method: 'GET', path: '/ok', handler: async () => json(200, { ok: true }) },
    { method: 'GET', path: '/sync-throw', handler: syncThrow },
    { method: 'GET', path: '/reject', handler: async () => { throw new TypeError("Cannot read properties of null (reading 'id')"); } },
    { method: 'GET', path: '/store-away', handler: async () => { throw Object.assign(new Error('Redis at 127.0.0.1:6379 did not answer within 2000 ms.'), { code: 'store_unavailable' }); } },
    { method: 'GET', path: '/bad-header', handler: async () => ({ status: 200, headers: { 'x-broken': 'line\nbreak' }, body: 'x' }) },
    { method: 'GET', path: '/no-response', handler: async () => undefined as unknown as HttpResponse },
    { method: 'POST', path: '/echo', handler: async (req) => json(200, { bytes: req.rawBody.length }) },
  ];

  beforeAll(async () => {
    const sink = new Writable({ write(chunk, _e, cb) { logs.push(String(chunk)); cb(); } });
    server = createHttpServer(routes, createLogger('debug', sink), new Metrics());
    port = await listen(server, 0, '127.0.0.1');
  });
  afterAll(async () => { await new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }); });

  /** One raw exchange: the bytes as given, the status line and body as answered. */
  const raw = (request: string) => new Promise<{ status: number; headers: string; body: string }>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const cut = text.indexOf('\r\n\r\n');
      const head = cut === -1 ? text : text.slice(0, cut);
      const rest = cut === -1 ? '' : text.slice(cut + 4);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), headers: head, body: /transfer-encoding: chunked/i.test(head) ? dechunk(rest) : rest });
    });
    socket.end(request);
  });
  const get = (target: string) => raw(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);

  it.each(['//', '//@', '//[', 'http://localhost/ok', '/%zz', '/\\evil.example/ok'])('answers GET %s with 400 and goes on serving', async (target) => {
    const answer = await get(target);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'bad_request_target' });
    expect((await get('/ok')).status).toBe(200);
  });

  it.each(['/sync-throw', '/reject', '/bad-header', '/no-response'])('turns what %s throws into a 500 with a reference that is also in the log', async (path) => {
    const answer = await get(path);
    expect(answer.status).toBe(500);
    const body = JSON.parse(answer.body) as { error: string; reference: string; message: string };
    expect(body.error).toBe('internal_error');
    expect(body.message).toContain(body.reference);
    expect(answer.headers).toContain(`x-request-id: ${body.reference}`);
    const line = logs.flatMap((l) => l.split('\n')).find((l) => l.includes('"msg":"request failed"') && l.includes(body.reference));
    expect(line).toBeDefined();
    expect((await get('/ok')).status).toBe(200);
  });

  it('answers a passing fault (the store away) 503 with Retry-After, logged as a warning without a stack, and goes on serving', async () => {
    const answer = await get('/store-away');
    expect(answer.status).toBe(503);
    expect(answer.headers.toLowerCase()).toContain('retry-after: 5');
    const body = JSON.parse(answer.body) as { error: string; reference: string };
    expect(body.error).toBe('temporarily_unavailable');
    const line = logs.flatMap((l) => l.split('\n')).find((l) => l.includes(body.reference));
    expect(line).toContain('"level":40');
    expect(line).not.toContain('stack');
    expect((await get('/ok')).status).toBe(200);
  });

  it('answers a malformed request line or header 4xx on the socket instead of dropping it', async () => {
    expect((await raw('GARBAGE\r\n\r\n')).status).toBe(400);
    expect((await raw('GET /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab')).status).toBe(400);
    expect((await raw(`GET /ok HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)).status).toBe(431);
    expect((await get('/ok')).status).toBe(200);
  });

  it('reads a body as before', async () => {
    const answer = await raw('POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ bytes: 5 });
  });
});
