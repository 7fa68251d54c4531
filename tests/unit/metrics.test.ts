import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { healthRoutes } from '../../src/http/health-routes.js';
import type { HttpRequest } from '../../src/http/types.js';
import { METRIC_CATALOGUE } from '../../src/runtime/metric-catalogue.js';
import { Metrics } from '../../src/runtime/metrics.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('metrics (prom-client)', () => {
  it('shows every catalogued metric with its HELP, and each configured messenger, channel and queue at zero from the start', async () => {
    const text = await new Metrics({ messengers: ['slack'], channels: ['whatsapp', 'api'], queues: ['default', 'vip'] }).render();
    for (const [name, spec] of Object.entries(METRIC_CATALOGUE)) {
      expect(text).toContain(`# HELP ${name} ${spec.help}`);
      expect(text).toContain(`# TYPE ${name} ${spec.type}`);
    }
    expect(text).toMatch(/^outbox_delivered_total\{via="slack"\} 0$/m);
    expect(text).toMatch(/^outbox_failed_total\{via="whatsapp"\} 0$/m);
    expect(text).toMatch(/^outbox_retries_total\{via="api"\} 0$/m);
    expect(text).toMatch(/^delivery_to_messenger_seconds_count\{messenger="slack"\} 0$/m);
    expect(text).toMatch(/^delivery_to_customer_seconds_bucket\{le="1",channel="whatsapp"\} 0$/m);
    expect(text).toMatch(/^sla_breaches_total\{queue="vip"\} 0$/m);
    expect(text).toMatch(/^outbox_pending_items 0$/m);
    // Node's process metrics.
    expect(text).toMatch(/^process_cpu_user_seconds_total [\d.e+-]+$/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds [\d.e+-]+$/m);
  });

  it('times deliveries into the messenger\'s or the customer channel\'s histogram, and reads gauges at each scrape', async () => {
    const m = new Metrics({ messengers: ['slack'], channels: ['whatsapp'], queues: ['default'] });
    m.observeDelivery('slack', 0.3);
    m.observeDelivery('whatsapp', 2);
    m.inc('outbox_delivered_total', { via: 'slack' }, 2);
    let waiting = 3;
    m.gauge('conversations_waiting', () => ({ default: waiting }));
    m.gauge('outbox_pending_items', () => { throw new Error('store away'); });
    const first = await m.render();
    expect(first).toMatch(/^delivery_to_messenger_seconds_bucket\{le="0.5",messenger="slack"\} 1$/m);
    expect(first).toMatch(/^delivery_to_messenger_seconds_bucket\{le="0.25",messenger="slack"\} 0$/m);
    expect(first).toMatch(/^delivery_to_customer_seconds_sum\{channel="whatsapp"\} 2$/m);
    expect(first).toMatch(/^outbox_delivered_total\{via="slack"\} 2$/m);
    expect(first).toMatch(/^conversations_waiting\{queue="default"\} 3$/m);
    waiting = 1;
    expect(await m.render()).toMatch(/^conversations_waiting\{queue="default"\} 1$/m);
  });

  it('still counts a metric missing from the catalogue (with a placeholder HELP the test below catches)', async () => {
    const m = new Metrics();
    m.inc('brand_new_total', { kind: 'x' });
    expect(await m.render()).toMatch(/^brand_new_total\{kind="x"\} 1$/m);
  });

  it('lists in the catalogue every metric the code counts, sets or observes', () => {
    const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const used = new Set<string>();
    for (const f of files) {
      const text = readFileSync(join(root, 'src', f), 'utf8');
      for (const m of text.matchAll(/metrics\??\.(?:inc|gauge|observe)\(\s*'([a-z_]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(8);
    expect([...used].filter((name) => !(name in METRIC_CATALOGUE))).toEqual([]);
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  const request = (authorization?: string): HttpRequest => ({
    method: 'GET', path: '/metrics', query: new URLSearchParams(), rawQuery: '', rawBody: Buffer.alloc(0), requestId: 'r1',
    headers: authorization ? { authorization } : {},
  });
  const route = (metricsToken?: string) => healthRoutes({ stopping: () => false, checks: () => [], renderMetrics: async () => 'outbox_pending_items 0\n', metricsToken }).find((r) => r.path === '/metrics')!;

  it('answers 401 without the bearer token, saying how to send it, and the metrics with it', async () => {
    const r = route('a-long-metrics-token-123');
    const refused = await r.handler(request());
    expect(refused.status).toBe(401);
    expect(String(refused.body)).toContain('Authorization: Bearer <METRICS_TOKEN>');
    expect((await r.handler(request('Bearer wrong-token-xxxxxxxxxxx'))).status).toBe(401);
    const ok = await r.handler(request('Bearer a-long-metrics-token-123'));
    expect(ok.status).toBe(200);
    expect(String(ok.body)).toBe('outbox_pending_items 0\n');
  });

  it('is open when no token is configured', async () => {
    expect((await route().handler(request())).status).toBe(200);
  });
});
