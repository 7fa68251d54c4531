import { createHash } from 'node:crypto';

/** A per-route bucket: `limit` requests per window of `windowMs`, per top-level resource. */
export interface RouteLimit { limit: number; windowMs: number }

/**
 * Route templates the fake limits, with defaults close to what Discord
 * answers in its headers today (they change; the bot must learn them from
 * `X-RateLimit-*`, never hard-code them: developers/topics/rate-limits.mdx).
 */
export const DEFAULT_ROUTE_LIMITS: Readonly<Record<string, RouteLimit>> = {
  'POST /channels/:id/messages': { limit: 5, windowMs: 5000 },
  'PATCH /channels/:id/messages/:id': { limit: 5, windowMs: 5000 },
  'POST /channels/:id/messages/:id/threads': { limit: 5, windowMs: 5000 },
  'PUT /channels/:id/messages/:id/reactions/:emoji/@me': { limit: 1, windowMs: 250 },
  'GET /channels/:id/messages': { limit: 10, windowMs: 1000 },
  'POST /users/@me/channels': { limit: 10, windowMs: 10_000 },
  'PUT /applications/:id/guilds/:id/commands': { limit: 2, windowMs: 20_000 },
};

/** A 429 scripted for the next matching requests. */
export interface ScriptedLimit {
  /** Route template, e.g. 'POST /channels/:id/messages'. */
  route: string;
  /** Only requests on this top-level resource (channel id…). */
  major?: string;
  count: number;
  retryAfterMs: number;
  global?: boolean;
  /** `shared` 429s do not count as invalid requests (a resource limit, not the bot's fault). */
  scope?: 'user' | 'global' | 'shared';
}

export interface LimitVerdict {
  status: 200 | 429;
  headers: Record<string, string>;
  body?: { message: string; retry_after: number; global: boolean };
  /** Counts towards the 10,000 invalid requests per 10 minutes. */
  invalid?: boolean;
}

/**
 * Discord's REST limits as the fake applies them: the global 50 requests
 * per second (interaction endpoints exempt), fixed-window buckets per route
 * and top-level resource with `X-RateLimit-*` headers on every answer, and
 * 429s with `retry_after` (float seconds) and `Retry-After` (whole seconds).
 */
export class RateLimits {
  private readonly windows = new Map<string, { remaining: number; resetAt: number }>();
  private readonly recent: number[] = [];
  private readonly scripted: ScriptedLimit[] = [];

  constructor(
    private readonly routes: Readonly<Record<string, RouteLimit>> | false,
    private readonly globalPerSecond: number | false,
  ) {}

  script(limit: ScriptedLimit): void {
    this.scripted.push({ ...limit });
  }

  /** Decides one request; `exempt` routes (interactions) skip the global limit. */
  check(route: string, major: string, exempt: boolean, now = Date.now()): LimitVerdict {
    const scripted = this.scripted.find((s) => s.count > 0 && s.route === route && (s.major === undefined || s.major === major));
    if (scripted) {
      scripted.count -= 1;
      return tooMany(scripted.retryAfterMs, Boolean(scripted.global), scripted.scope ?? (scripted.global ? 'global' : 'user'), {
        ...bucketHeaders(route, 1, 0, now + scripted.retryAfterMs, now),
      });
    }
    if (!exempt && this.globalPerSecond !== false) {
      while (this.recent.length && this.recent[0]! <= now - 1000) this.recent.shift();
      if (this.recent.length >= this.globalPerSecond) return tooMany(this.recent[0]! + 1000 - now, true, 'global', {});
      this.recent.push(now);
    }
    const limit = this.routes === false ? undefined : this.routes[route];
    if (!limit) return { status: 200, headers: {} };
    const key = `${route}|${major}`;
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { remaining: limit.limit, resetAt: now + limit.windowMs };
      this.windows.set(key, w);
    }
    if (w.remaining <= 0) return tooMany(w.resetAt - now, false, 'user', bucketHeaders(route, limit.limit, 0, w.resetAt, now));
    w.remaining -= 1;
    return { status: 200, headers: bucketHeaders(route, limit.limit, w.remaining, w.resetAt, now) };
  }

  reset(): void {
    this.windows.clear();
    this.recent.length = 0;
    this.scripted.length = 0;
  }
}

function bucketHeaders(route: string, limit: number, remaining: number, resetAt: number, now: number): Record<string, string> {
  return {
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': (resetAt / 1000).toFixed(3),
    'x-ratelimit-reset-after': (Math.max(0, resetAt - now) / 1000).toFixed(3),
    'x-ratelimit-bucket': createHash('sha1').update(route).digest('hex').slice(0, 16),
  };
}

function tooMany(retryAfterMs: number, global: boolean, scope: 'user' | 'global' | 'shared', headers: Record<string, string>): LimitVerdict {
  const seconds = Math.max(0.001, retryAfterMs / 1000);
  return {
    status: 429,
    headers: {
      ...headers,
      'retry-after': String(Math.ceil(seconds)),
      'x-ratelimit-scope': scope,
      ...(global ? { 'x-ratelimit-global': 'true' } : {}),
    },
    body: { message: global ? 'You are being rate limited.' : 'You are being rate limited.', retry_after: Number(seconds.toFixed(3)), global },
    invalid: scope !== 'shared',
  };
}
