import Bottleneck from 'bottleneck';
import { budgetOf } from '../core/outbox/budgets.js';

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

  constructor(private readonly opts: { redisUrl?: string | undefined; prefix: string; onError?: (err: unknown) => void }) {
    this.onError = opts.onError ?? (() => {});
    if (opts.redisUrl) {
      this.connection = new Bottleneck.IORedisConnection({ clientOptions: redisOptions(opts.redisUrl) });
      // A Redis outage must not crash the process: the store's readiness check reports it.
      this.connection.on('error', (err: unknown) => this.onError(err));
    }
  }

  schedule<T>(destination: string, job: () => Promise<T>): Promise<T> {
    const cls = destination.split(':').slice(0, 2).join(':');
    let group = this.groups.get(cls);
    if (!group) {
      const budget = budgetOf(destination);
      group = new Bottleneck.Group({
        id: `${this.opts.prefix}${cls}`,
        minTime: budget.minTimeMs,
        maxConcurrent: budget.maxConcurrent,
        ...(this.connection ? { datastore: 'ioredis', connection: this.connection, heartbeatInterval: 250, clearDatastore: false, timeout: 15 * 60_000 } : {}),
      });
      // Redis errors inside bottleneck (heartbeats during an outage) are events, not crashes.
      group.on('created', (limiter) => limiter.on('error', (err: unknown) => this.onError(err)));
      this.groups.set(cls, group);
    }
    return group.key(destination).schedule(job);
  }

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
