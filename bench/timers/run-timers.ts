import { mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { openStore } from '../../src/store/open-store.js';
import { scheduleTimerOps } from '../../src/core/timers.js';
import { keys } from '../../src/core/keys.js';
import type { WriteOp } from '../../src/core/ports.js';
import { TimerScheduler } from '../../src/runtime/timer-scheduler.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { createLogger } from '../../src/runtime/logger.js';
import { REDIS_URL, type StoreKind } from '../../tests/support/start-desk.js';
import { deleteRedisKeys } from '../support/delete-redis-keys.js';
import { distribution } from '../support/percentiles.js';
import { createClient } from '@keyv/redis';

/** Redis's own `used_memory` (shared with whatever else uses it: a delta is only a hint). */
async function redisUsedMemory(): Promise<number> {
  const client = createClient({ url: REDIS_URL });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1] ?? 0);
  } finally {
    client.destroy();
  }
}

export interface TimersParams {
  store: StoreKind;
  /** Pending timers written before the scheduler starts. */
  timers: number;
  /** Of them: this many due at once at the start (a backlog after downtime)… */
  dueAtOnce: number;
  /** …this many due evenly over the first `windowSeconds` (the ones timed)… */
  dueInWindow: number;
  windowSeconds: number;
  /** …and the rest due over the following day: pending throughout, as in a desk with many open conversations. */
}

const DAY_MS = 86_400_000;

const MiB = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/** Bytes of the embedded store's files (the database and its WAL). */
function dirBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

/**
 * Issue 13: 100,000 pending timers: the memory they take, and how late they
 * fire while that many are pending. Timers are written in bulk through the
 * store ports (as the use cases' batches write them): a backlog already due,
 * a stream due over the first minute (the ones timed), the rest due over the
 * next day; then one TimerScheduler (the app's, with a handler that only
 * notes its lateness) fires them on the system clock. Lateness = firing time
 * − due time.
 */
export async function runTimers(p: TimersParams) {
  const dataDir = mkdtempSync(join(tmpdir(), 'threaddesk-bench-timers-'));
  const prefix = `td-bench-timers-${randomBytes(4).toString('hex')}:`;
  const store = await openStore({ dataDir, ...(p.store === 'redis' ? { redisUrl: REDIS_URL } : {}), prefix });
  const logs: string[] = [];
  const log = createLogger('warn', new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } }));
  try {
    const rssBefore = process.memoryUsage().rss;
    const redisBefore = p.store === 'redis' ? await redisUsedMemory() : 0;
    const start = Date.now() + 15_000 + p.timers / 20; // time to write them all first
    const writeStarted = performance.now();
    for (let from = 0; from < p.timers; from += 1000) {
      const ops: WriteOp[] = [];
      for (let i = from; i < Math.min(p.timers, from + 1000); i++) {
        const w = i - p.dueAtOnce;
        const dueAt = i < p.dueAtOnce ? start - 1000
          : w < p.dueInWindow ? start + Math.floor((w / p.dueInWindow) * p.windowSeconds * 1000)
            : start + p.windowSeconds * 1000 + 3_600_000 + Math.floor(((w - p.dueInWindow) / Math.max(1, p.timers - p.dueAtOnce - p.dueInWindow)) * DAY_MS);
        ops.push(...scheduleTimerOps({ id: `bench:${i}`, kind: 'bench', convId: `c${i}`, dueAt }));
      }
      await store.writeAtomically(ops);
    }
    const writeMs = performance.now() - writeStarted;
    const storeBytes = p.store === 'embedded' ? dirBytes(dataDir) : (await redisUsedMemory()) - redisBefore;
    const lateness: number[] = [];
    let firedAll: () => void = () => {};
    const done = new Promise<void>((r) => { firedAll = r; });
    const scheduler = new TimerScheduler({
      store, clock: systemClock, log, instanceId: 'bench', shared: store.kind === 'redis',
      handlers: {
        bench: async (timer) => {
          lateness.push(Date.now() - timer.dueAt);
          if (lateness.length === p.dueAtOnce + p.dueInWindow) firedAll();
          return [];
        },
      },
    });
    const idleMs = start - Date.now();
    if (idleMs > 0) await new Promise((r) => setTimeout(r, idleMs));
    const memoryPending = process.memoryUsage();
    const firingStarted = performance.now();
    scheduler.start();
    const limit = new Promise<void>((r) => setTimeout(r, (p.windowSeconds + 240) * 1000).unref());
    await Promise.race([done, limit]);
    const firingMs = performance.now() - firingStarted;
    await scheduler.stop();
    const backlog = lateness.slice(0, p.dueAtOnce);
    const onTime = lateness.slice(p.dueAtOnce);
    return {
      params: p,
      fired: lateness.length,
      notFired: p.dueAtOnce + p.dueInWindow - lateness.length,
      stillPending: await store.zCard(keys.timers()),
      writeSeconds: Math.round(writeMs / 100) / 10,
      firingSeconds: Math.round(firingMs / 100) / 10,
      latenessMs: distribution(onTime),
      backlogLatenessMs: distribution(backlog),
      memory: {
        processRssGrowthMiB: MiB(memoryPending.rss - rssBefore),
        heapUsedMiB: MiB(memoryPending.heapUsed),
        [p.store === 'embedded' ? 'embeddedStoreFilesMiB' : 'redisUsedMemoryGrowthMiB']: MiB(storeBytes),
        storeBytesPerTimer: Math.round(storeBytes / p.timers),
      },
      logWarnings: logs.length,
      firstLogLines: logs.slice(0, 3),
    };
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (p.store === 'redis') await deleteRedisKeys(REDIS_URL, prefix);
  }
}
