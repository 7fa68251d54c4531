import { createHash, timingSafeEqual } from 'node:crypto';
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
  /** When set, `/metrics` answers only `Authorization: Bearer <token>` (METRICS_TOKEN). */
  metricsToken?: string | undefined;
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
    {
      method: 'GET', path: '/metrics', handler: async (req) => {
        if (o.metricsToken && !bearerMatches(req.headers.authorization, o.metricsToken)) {
          return text(401, 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN> (in Prometheus: authorization: { credentials: … } on the scrape job).\n', { 'www-authenticate': 'Bearer realm="metrics"' });
        }
        return text(200, await o.renderMetrics(), { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      },
    },
  ];
}

/** Compares in constant time (hashes first, so the lengths match). */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
  if (!given) return false;
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(given), digest(token));
}
