import { json, text, type Route } from './types.js';

/** One dependency readiness checks: the store, or a messenger. */
export interface ReadinessCheck {
  name: string;
  ping(): Promise<unknown>;
}

/** What the operations routes read: whether the process is shutting down, what to check, the metrics text. */
export interface HealthRoutesOptions {
  stopping(): boolean;
  checks(): readonly ReadinessCheck[];
  renderMetrics(): Promise<string>;
}

/**
 * `GET /healthz` (the process answers), `GET /readyz` (200 only when the
 * store and every messenger answer and no shutdown has begun, 503 with each
 * check's state otherwise) and `GET /metrics` (Prometheus text format 0.0.4).
 */
export function healthRoutes(o: HealthRoutesOptions): Route[] {
  return [
    { method: 'GET', path: '/healthz', handler: async () => json(200, { status: 'ok' }) },
    {
      method: 'GET', path: '/readyz', handler: async () => {
        const checks: Record<string, string> = {};
        if (o.stopping()) checks.process = 'shutting down';
        for (const c of o.checks()) {
          try { await c.ping(); checks[c.name] = 'ok'; } catch (e) { checks[c.name] = `unreachable: ${(e as Error).message}`; }
        }
        const ready = !o.stopping() && Object.values(checks).every((v) => v === 'ok');
        return json(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks });
      },
    },
    { method: 'GET', path: '/metrics', handler: async () => text(200, await o.renderMetrics(), { 'content-type': 'text/plain; version=0.0.4' }) },
  ];
}
