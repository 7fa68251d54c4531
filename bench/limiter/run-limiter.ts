import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { REDIS_URL, type StoreKind } from '../../tests/support/start-desk.js';
import { Limiters } from '../../src/runtime/limiters.js';
import { createLogger } from '../../src/runtime/logger.js';
import { deleteRedisKeys } from '../support/delete-redis-keys.js';

export interface LimiterParams {
  store: StoreKind;
  /** Jobs per measurement. */
  jobs: number;
}

/** How long each job holds its slot: 0 (the limiter alone) and 1 ms (about a local HTTP call). */
const HOLDS_MS = [0, 1];
const CONCURRENCY = [1, 4, 16];

/**
 * The ceiling one destination's limiter puts on posting, whatever the desk
 * does around it: jobs per second through `Limiters.schedule` (bottleneck,
 * in this process or in Redis clustering mode) for one destination of a
 * budget with no spacing, at several maxConcurrent, with jobs that hold their
 * slot 0 or 1 ms. Every post to a Slack channel is one such job, so this is
 * the most posts per second a channel can take before the outbox has to
 * coalesce. Not an issue target: it explains the throughput figures.
 */
export async function runLimiter(p: LimiterParams) {
  const rows: { maxConcurrent: number; holdMs: number; jobs: number; ms: number; jobsPerSecond: number }[] = [];
  const loadBefore = loadavg()[0]!;
  for (const maxConcurrent of CONCURRENCY) {
    for (const holdMs of HOLDS_MS) {
      const prefix = `td-bench-limiter-${randomBytes(4).toString('hex')}:`;
      const limiters = new Limiters({
        ...(p.store === 'redis' ? { redisUrl: REDIS_URL } : {}),
        prefix,
        log: createLogger('silent'),
        budgets: { 'bench:post': { minTimeMs: 0, maxConcurrent } },
      });
      try {
        const job = holdMs ? () => new Promise<void>((r) => setTimeout(r, holdMs)) : () => Promise.resolve();
        // A few jobs first, so connections and JIT are warm.
        await Promise.all(Array.from({ length: 20 }, () => limiters.schedule('bench:post:C1', job)));
        const started = performance.now();
        await Promise.all(Array.from({ length: p.jobs }, () => limiters.schedule('bench:post:C1', job)));
        const ms = performance.now() - started;
        rows.push({ maxConcurrent, holdMs, jobs: p.jobs, ms: Math.round(ms), jobsPerSecond: Math.round((p.jobs / ms) * 1000) });
        console.log(`     ${p.store} maxConcurrent ${maxConcurrent}, jobs holding ${holdMs} ms: ${Math.round((p.jobs / ms) * 1000)} jobs/s`);
      } finally {
        await limiters.close();
        if (p.store === 'redis') await deleteRedisKeys(REDIS_URL, prefix);
      }
    }
  }
  return { rows, loadAverage1mBefore: Math.round(loadBefore * 100) / 100, loadAverage1mAfter: Math.round(loadavg()[0]! * 100) / 100 };
}
