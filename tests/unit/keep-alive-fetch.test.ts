import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { keepAliveFetch } from '../../src/runtime/keep-alive-fetch.js';
import { busyFor, SLOW_ANSWER_MS, startClosingKeepAliveServer } from '../support/closing-keep-alive-server.js';

/** What the server saw of each request, and on which connection. */
interface Seen { method: string; url: string; headers: IncomingMessage['headers']; body: string; connection: number }

/**
 * The Slack WebClient's `fetch` (src/runtime/keep-alive-fetch.ts) against a
 * local HTTP server: bodies, headers and statuses as fetch gives them, one
 * kept-alive connection for many calls, a timeout that aborts, a refused
 * redirect; multipart bodies go to Node's fetch. And the real WebClient on top.
 */
describe('keepAliveFetch', () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];
  let connections = 0;
  const connectionOf = new WeakMap<Socket, number>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body, connection: connectionOf.get(req.socket) ?? 0 });
        if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2000);
        if (req.url === '/moved') { res.writeHead(302, { location: '/elsewhere' }); return void res.end(); }
        if (req.url === '/limited') { res.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' }); return void res.end('{"ok":false,"error":"ratelimited"}'); }
        if (req.url === '/api/chat.postMessage') {
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-oauth-scopes': 'chat:write' });
          return void res.end(JSON.stringify({ ok: true, channel: 'C1', ts: '1.000100', echo: body }));
        }
        res.writeHead(200, { 'content-type': 'text/plain', 'set-cookie': ['a=1', 'b=2'] });
        res.end(`echo ${body}`);
      });
    });
    server.on('connection', (socket) => { connectionOf.set(socket, ++connections); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => { server.closeAllConnections(); await new Promise((r) => server.close(r)); });

  it('sends a string body with its length and headers, and reads status, headers and body as fetch does', async () => {
    const lightFetch = keepAliveFetch();
    const res = await lightFetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'text=h%C3%A9llo', redirect: 'error' });
    expect(res.status).toBe(200);
    expect(res.ok).toBe(true);
    expect(res.headers.get('Content-Type')).toBe('text/plain');
    expect(res.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(res.headers.get('x-missing')).toBeNull();
    expect(await res.text()).toBe('echo text=h%C3%A9llo');
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ method: 'POST', url: '/echo', body: 'text=h%C3%A9llo' });
    expect(last.headers['content-length']).toBe('15');
  });

  it('keeps one connection alive for many calls', async () => {
    const lightFetch = keepAliveFetch();
    const before = connections;
    for (let i = 0; i < 5; i++) expect(await (await lightFetch(`${base}/echo`, { method: 'POST', body: `n=${i}`, redirect: 'error' })).text()).toBe(`echo n=${i}`);
    expect(connections - before).toBe(1);
  });

  it('gives a 429 with its Retry-After, refuses a redirect, and aborts on its signal', async () => {
    const lightFetch = keepAliveFetch();
    const limited = await lightFetch(`${base}/limited`, { method: 'POST', body: '', redirect: 'error' });
    expect(limited.status).toBe(429);
    expect(limited.ok).toBe(false);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.json()).toEqual({ ok: false, error: 'ratelimited' });
    await expect(lightFetch(`${base}/moved`, { method: 'POST', body: '', redirect: 'error' })).rejects.toThrow(/redirect/);
    const started = Date.now();
    await expect(lightFetch(`${base}/slow`, { method: 'POST', body: '', redirect: 'error', signal: AbortSignal.timeout(100) })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('gives up after timeoutMs with a TimeoutError, and a call answered in time keeps its connection', async () => {
    const lightFetch = keepAliveFetch();
    const started = Date.now();
    await expect(lightFetch(`${base}/slow`, { method: 'POST', body: '', redirect: 'error', timeoutMs: 100 })).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect(Date.now() - started).toBeLessThan(1500);
    // The calls that must be answered in time get a deadline a stalled CI machine cannot overrun on
    // a local echo (100 ms could pass before the answer is read, and the call would time out).
    const answered = await lightFetch(`${base}/echo`, { method: 'POST', body: 'a', redirect: 'error', timeoutMs: 1000 });
    expect(await answered.text()).toBe('echo a');
    const first = seen.at(-1)!.connection;
    // Past the first call's deadline: its timer was cleared, so the kept-alive connection still serves.
    await new Promise((r) => setTimeout(r, 1100));
    await lightFetch(`${base}/echo`, { method: 'POST', body: 'b', redirect: 'error', timeoutMs: 5000 });
    expect(seen.at(-1)!.connection).toBe(first);
  });

  it('hands a multipart body to Node\'s fetch', async () => {
    const lightFetch = keepAliveFetch();
    const form = new FormData();
    form.append('file', new Blob(['bytes']), 'a.txt');
    const res = await lightFetch(`${base}/echo`, { method: 'POST', body: form, redirect: 'error' });
    expect(res.status).toBe(200);
    expect(seen.at(-1)!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen.at(-1)!.body).toContain('bytes');
  });

  it('carries the Slack WebClient\'s calls: form body out, JSON result and scopes back', async () => {
    const client = new webApi.WebClient('xoxb-test', { slackApiUrl: `${base}/api/`, fetch: keepAliveFetch(), retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 5000 });
    const result = await client.chat.postMessage({ channel: 'C1', text: 'hello', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }] });
    expect(result).toMatchObject({ ok: true, ts: '1.000100' });
    expect(result.response_metadata?.scopes).toEqual(['chat:write']);
    const sent = new URLSearchParams(seen.at(-1)!.body);
    expect(sent.get('text')).toBe('hello');
    expect(JSON.parse(sent.get('blocks')!)).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }]);
    expect(seen.at(-1)!.headers.authorization).toBe('Bearer xoxb-test');
  });

  /**
   * A server closes a kept-alive connection once it has idled for its keep-alive timeout (Node's:
   * 5 s, announced as `Keep-Alive: timeout=5`). A client that picks that connection for a call
   * while the close is on its way gets ECONNRESET: on a busy event loop the FIN waits unread
   * while the next call takes the socket. Node 20's agent honours the announced timeout only
   * when it has a `timeout` of its own. Here the server runs in its own process (its timer must
   * fire while this loop is blocked) and announces 2 s (Node 20's server closes 1 s later, at
   * 3 s); this loop idles 2.9 s, is busy until 3.5 s, then calls: the connection must have been
   * given up at 1 s (the announced timeout less a second), and a new one serves.
   */
  it('gives up a kept-alive connection before the server\'s announced keep-alive timeout, so a call after a busy spell does not meet a reset', async () => {
    const server = await startClosingKeepAliveServer(2000);
    try {
      const lightFetch = keepAliveFetch();
      const first = await lightFetch(`${server.url}/`, { method: 'POST', body: 'a', redirect: 'error', timeoutMs: 5000 });
      expect(first.headers.get('keep-alive')).toBe('timeout=2');
      const firstPort = ((await first.json()) as { result: { port: number } }).result.port;
      await new Promise((r) => setTimeout(r, 2900));
      busyFor(600);
      const second = await lightFetch(`${server.url}/`, { method: 'POST', body: 'b', redirect: 'error', timeoutMs: 5000 });
      expect(second.status).toBe(200);
      // A new connection (another client port), not the one the server closed.
      expect(((await second.json()) as { result: { port: number } }).result.port).not.toBe(firstPort);
    } finally {
      server.close();
    }
  });

  // The agents' idle timeout (4 s) only notifies on a connection in use: a slower answer still arrives.
  it('waits for an answer slower than the agents\' idle timeout', async () => {
    const server = await startClosingKeepAliveServer(2000);
    try {
      const started = Date.now();
      const slow = await keepAliveFetch()(`${server.url}/getUpdates`, { method: 'POST', body: '{}', redirect: 'error', timeoutMs: 10_000 });
      expect(slow.status).toBe(200);
      expect(await slow.json()).toHaveProperty('result.port');
      expect(Date.now() - started).toBeGreaterThanOrEqual(SLOW_ANSWER_MS - 100);
    } finally {
      server.close();
    }
  });
});
