import Bottleneck from 'bottleneck';
import { budgetOf } from '../core/outbox/budgets.js';
import type { AtomicPort } from '../core/ports.js';

/**
 * One bottleneck limiter per destination (a Slack channel, a WhatsApp number…)
 * with the spacing of its budget class. With Redis, bottleneck runs in
 * clustering mode so every replica shares one budget per destination.
 *
 * bottleneck's Redis mode needs ioredis (`datastore:'ioredis'`; node-redis ≥4
 * never becomes ready) and a short heartbeat, or a job queued on a second
 * replica waits up to the default 5 s (reference/offline-sdks.md §4).
 */
export class Limiters {
  private readonly groups = new Map<string, Bottleneck.Group>();
  private readonly connection: Bottleneck.IORedisConnection | undefined;

  private readonly onError: (err: unknown) => void;

  constructor(private readonly opts: { redisUrl?: string | undefined; prefix: string; onError?: (err: unknown) => void; state?: Pick<AtomicPort, 'getString' | 'setString'> }) {
    this.onError = opts.onError ?? (() => {});
    if (opts.redisUrl) {
      this.connection = new Bottleneck.IORedisConnection({ clientOptions: redisOptions(opts.redisUrl) });
      // A Redis outage must not crash the process: the store's readiness check reports it.
      this.connection.on('error', (err: unknown) => this.onError(err));
    }
  }

  schedule<T>(destination: string, job: () => Promise<T>): Promise<T> {
    const cls = destination.split(':').slice(0, 2).join(':');
    const budget = budgetOf(destination);
    let group = this.groups.get(cls);
    if (!group) {
      group = new Bottleneck.Group({
        id: `${this.opts.prefix}${cls}`,
        // With a burst, the pacing happens inside the slot (GCRA below); bottleneck only serialises.
        minTime: budget.burst ? 0 : budget.minTimeMs,
        maxConcurrent: budget.maxConcurrent,
        ...(this.connection ? { datastore: 'ioredis', connection: this.connection, heartbeatInterval: 250, clearDatastore: false, timeout: 15 * 60_000 } : {}),
      });
      // Redis errors inside bottleneck (heartbeats during an outage) are events, not crashes.
      group.on('created', (limiter) => limiter.on('error', (err: unknown) => this.onError(err)));
      this.groups.set(cls, group);
    }
    if (!budget.burst) return group.key(destination).schedule(job);
    return group.key(destination).schedule(async () => {
      const key = `gcra:${destination}`;
      const tat = await this.readTat(key);
      const wait = tat - (budget.burst! - 1) * budget.minTimeMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      try {
        return await job();
      } finally {
        // Counted from when the call finished: the platform surely had it by then, so
        // however long the request took on the way, its arrivals keep the spacing.
        await this.writeTat(key, Math.max(tat, Date.now()) + budget.minTimeMs, budget.burst! * budget.minTimeMs + 60_000);
      }
    });
  }

  /*
   * GCRA state: the theoretical arrival time of the next call per destination.
   * A call may go up to `(burst − 1) × interval` ahead of it. It lives in the
   * store, so replicas (serialised per destination by bottleneck's shared
   * maxConcurrent 1) and restarts keep one schedule.
   */
  private async readTat(key: string): Promise<number> {
    const state = this.opts.state;
    return Number((state ? await state.getString(key).catch(() => undefined) : this.tat.get(key)) ?? 0);
  }

  private async writeTat(key: string, value: number, ttlMs: number): Promise<void> {
    const state = this.opts.state;
    if (state) await state.setString(key, String(value), ttlMs).catch(() => {});
    else this.tat.set(key, value);
  }

  private readonly tat = new Map<string, number>();

  /** Rejects jobs still waiting for a slot (their items stay in the outbox); running ones finish. */
  async dropWaiting(): Promise<void> {
    for (const g of this.groups.values()) {
      for (const l of g.limiters()) {
        try { await l.limiter.stop({ dropWaitingJobs: true }); } catch { /* already stopped */ }
      }
    }
  }

  async close(): Promise<void> {
    // disconnect() returns a promise in some bottleneck paths and nothing in others.
    const quietly = async (f: () => unknown) => { try { await f(); } catch { /* closing anyway */ } };
    // The shared connection goes first: once it is terminated, the limiters skip their
    // per-channel UNSUBSCRIBE, whose promise bottleneck never awaits (an unhandled rejection).
    if (this.connection) await quietly(() => this.connection!.disconnect(false));
    for (const g of this.groups.values()) {
      for (const l of g.limiters()) await quietly(() => l.limiter.disconnect(false));
    }
  }
}

function redisOptions(url: string): Record<string, unknown> {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}
