import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesk, type DeskHarness } from '../support/start-desk.js';
import { actions } from '../support/actions.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

/** What an operator relies on: readiness, metrics, surviving a Redis outage. */
describe('operations', () => {
  let proxy: TcpProxy;
  let h: DeskHarness;
  beforeAll(async () => {
    proxy = await startTcpProxy(6379);
    h = await startDesk({ store: 'redis', env: { REDIS_URL: `redis://127.0.0.1:${proxy.port}` } });
  });
  afterAll(async () => {
    await h?.close();
    await proxy?.close();
  });

  it('is ready when the store and Slack answer, and says which check fails otherwise', async () => {
    const ready = await fetch(`${h.app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { store: 'ok', slack: 'ok' } });
    expect((await fetch(`${h.app.url}/healthz`)).status).toBe(200);
  });

  it('stays up while Redis is gone (not ready, webhooks answered 5xx so platforms retry) and recovers when it is back', async () => {
    const act = actions(h);
    await proxy.cut();
    try {
      const notReady = await fetch(`${h.app.url}/readyz`);
      expect(notReady.status).toBe(503);
      expect(((await notReady.json()) as { checks: { store: string } }).checks.store).toMatch(/unreachable/);
      const during = await act.customerWrites('491706660000', 'Written during the outage');
      expect(during.status).toBeGreaterThanOrEqual(500);
      expect((await fetch(`${h.app.url}/healthz`)).status).toBe(200);
    } finally {
      await proxy.restore();
    }
    await expect.poll(async () => (await fetch(`${h.app.url}/readyz`)).status, { timeout: 15_000, interval: 250 }).toBe(200);
    // Meta retries the refused webhook; it now goes through, once.
    const retried = await act.customerWrites('491706660000', 'Written during the outage');
    expect(retried.status).toBe(200);
    await h.slack.waitFor((s) => s.messages.find((m) => m.text === 'Written during the outage'), 8000);
  });

  it('serves the Slack app manifest of this desk, its request URLs on the host it was asked by', async () => {
    const res = await fetch(`${h.app.url}/setup/slack-manifest`);
    expect(res.status).toBe(200);
    const manifest = (await res.json()) as { settings: { socket_mode_enabled: boolean; event_subscriptions: { request_url: string } } };
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.settings.event_subscriptions.request_url).toBe(`${h.app.url}/slack/events`);
  });

  it('exposes Prometheus metrics', async () => {
    const res = await fetch(`${h.app.url}/metrics`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toMatch(/^inbound_messages_total\{channel="whatsapp",outcome="accepted"\} \d+$/m);
    expect(body).toMatch(/^outbox_pending_items \d+$/m);
  });
});
