import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { VisitorHistory } from '../../src/channels/webchat/history.js';
import { DEFAULT_LIMITS } from '../../src/channels/webchat/limits.js';
import { LiveHub } from '../../src/channels/webchat/live-hub.js';
import { parseOrigins } from '../../src/channels/webchat/origins.js';
import type { StorePort } from '../../src/core/ports.js';
import { attachUpgrades } from '../../src/http/server.js';
import { createLogger } from '../../src/runtime/logger.js';
import { Metrics } from '../../src/runtime/metrics.js';
import { openStore } from '../../src/store/open-store.js';
import { waitFor } from '../support/wait-until.js';

const SITE = 'https://shop.example.com';
const HEARTBEAT_MS = 150;
const IDLE_MS = 600;

/**
 * Heartbeats, idle close and the per-IP connection limit of the live hub, with short timings. The
 * tests beat the hub's heart and move its clock themselves: on a stalled CI machine, real time
 * could let a heartbeat pass before a pong was read, or make an active visitor look idle.
 */
describe('web chat socket liveness', () => {
  let clock = Date.now();
  /** One heartbeat of the hub (its interval timer is the test's). */
  const heartbeat = () => vi.advanceTimersByTime(HEARTBEAT_MS);
  let dir: string;
  let store: StorePort;
  let hub: LiveHub;
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'threaddesk-webchat-'));
    store = await openStore({ dataDir: dir });
    // Only the hub's heartbeat interval is faked: the sockets, the store and other timers run for real.
    // (No expect.poll or vi.waitFor in here: with fake timers they move them on as they poll.)
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    hub = new LiveHub({
      desk: { receiveCustomerMessage: () => Promise.resolve({ status: 'duplicate' }) },
      store, log: createLogger('silent'), metrics: new Metrics(), origins: parseOrigins(SITE).patterns, identitySecret: undefined, trustedProxies: 0, markRead: () => Promise.resolve(),
      limits: { ...DEFAULT_LIMITS, ipConnections: 8 }, heartbeatMs: HEARTBEAT_MS, idleMs: IDLE_MS, syncMs: 100, now: () => clock,
    });
    server = http.createServer((_req, res) => res.end());
    attachUpgrades(server, [{ path: '/chat/socket', handle: (req, socket, head) => hub.upgrade(req, socket, head) }], createLogger('silent'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/chat/socket`;
  });
  afterAll(async () => {
    await hub.close();
    vi.useRealTimers();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const open = (o: WebSocket.ClientOptions = {}) => new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(url, { origin: SITE, ...o });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
  const closed = (ws: WebSocket) => new Promise<{ code: number }>((resolve) => {
    ws.once('close', (code) => resolve({ code }));
  });

  it('pings, keeps a socket that answers while the visitor is active, and closes it as idle after the idle time', async () => {
    const ws = await open();
    let pings = 0;
    ws.on('ping', () => { pings++; });
    let pongs = 0;
    ws.on('message', (d) => { if ((JSON.parse(String(d)) as { type: string }).type === 'pong') pongs++; });
    ws.send(JSON.stringify({ type: 'hello' }));
    const end = closed(ws);
    // Activity every 200 ms (of the hub's clock) for a second keeps it open past the 600 ms idle
    // time, with a heartbeat after each: the hub's answer to the visitor's ping says it has read
    // everything sent before, the pong to its last heartbeat's ping too.
    for (let i = 0; i < 5; i++) {
      clock += 200;
      ws.send('{"type":"ping"}');
      await waitFor(() => (pongs === i + 1 ? true : undefined));
      heartbeat();
      await waitFor(() => (pings === i + 1 ? true : undefined));
    }
    expect(ws.readyState).toBe(WebSocket.OPEN);
    expect(pings).toBeGreaterThanOrEqual(3);
    // Then nothing from the visitor for longer than the idle time: the next heartbeat closes it.
    ws.send('{"type":"ping"}');
    await waitFor(() => (pongs === 6 ? true : undefined));
    clock += IDLE_MS + 1;
    heartbeat();
    expect((await end).code).toBe(4000);
  });

  it('pushes lines another replica appended to the shared history, without being told', async () => {
    const ws = await open();
    const frames: { type: string; visitor?: string; text?: string }[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(String(d)) as { type: string }));
    ws.send(JSON.stringify({ type: 'hello' }));
    await waitFor(() => frames.find((f) => f.type === 'ready'));
    const visitorId = frames.find((f) => f.type === 'ready')!.visitor!;
    // What a deliverer on another replica does: append, with no notify reaching this hub.
    await new VisitorHistory(store).append(visitorId, { author: 'agent', name: 'Ana', text: 'from the other replica', at: 1 });
    await waitFor(() => (frames.some((f) => f.type === 'message') ? true : undefined), 2000);
    expect(frames.filter((f) => f.type === 'message').map((f) => f.text)).toEqual(['from the other replica']);
    ws.terminate();
  });

  it('drops a socket that stops answering pings', async () => {
    const ws = await open({ autoPong: false });
    let pings = 0;
    ws.on('ping', () => { pings++; });
    ws.send(JSON.stringify({ type: 'hello' }));
    const end = closed(ws);
    heartbeat();
    await waitFor(() => (pings === 1 ? true : undefined));
    heartbeat();
    // Terminated without a close frame (1006) at the heartbeat after one unanswered ping, well
    // before the idle time (an idle close says 4000).
    expect((await end).code).toBe(1006);
    expect(pings).toBe(1);
  });

  it('refuses an IP opening connections faster than its limit with 429', async () => {
    const opened: WebSocket[] = [];
    let refused: unknown;
    for (let i = 0; i < 10 && !refused; i++) {
      try { opened.push(await open()); } catch (err) { refused = err; }
    }
    expect(String(refused)).toContain('refused: 429');
    for (const ws of opened) ws.terminate();
  });

  it('answers other upgrade paths 404', async () => {
    const other = new WebSocket(url.replace('/chat/socket', '/elsewhere'), { origin: SITE });
    const status = await new Promise<number | undefined>((resolve) => {
      other.once('unexpected-response', (_req, res) => resolve(res.statusCode));
      other.once('open', () => resolve(undefined));
      other.once('error', () => resolve(-1));
    });
    expect(status).toBe(404);
  });
});
