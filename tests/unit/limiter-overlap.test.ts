import { Writable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Budget } from '../../src/core/outbox/budgets.js';
import { Limiters } from '../../src/runtime/limiters.js';
import { createLogger } from '../../src/runtime/logger.js';
import { deleteRedisKeys, randomPrefix, REDIS_URL, redisHarness } from '../store/store-harnesses.js';

/** A channel's post budget with overlap allowed, short enough for a test: a burst of 3, then one call per 200 ms. */
const BUDGET: Budget = { minTimeMs: 200, maxConcurrent: 4, burst: 3 };
const BUDGETS = { 'test:post': BUDGET };
const DESTINATION = 'test:post:C0OVERLAP';
/** Each call stays on the wire this long: most of an interval, so calls in a burst overlap. */
const CALL_MS = 150;
/** Timers may fire a little early or late; the platform's own clock is coarser still. */
const TOLERANCE_MS = 15;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The platform's check (GCRA over arrival times): the starts that come earlier than the bucket allows. */
function violations(starts: readonly number[], budget: Budget): number[] {
  const out: number[] = [];
  let tat = 0;
  for (const at of [...starts].sort((a, b) => a - b)) {
    if (at < tat - (budget.burst! - 1) * budget.minTimeMs - TOLERANCE_MS) out.push(at);
    tat = Math.max(tat, at) + budget.minTimeMs;
  }
  return out;
}

/** The most calls on the wire at one moment. */
function mostAtOnce(calls: readonly { start: number; end: number }[]): number {
  return Math.max(...calls.map((c) => calls.filter((o) => o.start <= c.start && c.start < o.end).length));
}

/**
 * Posts to different threads of one channel may overlap (the channel's budget
 * is a rate, not a mutex): with maxConcurrent 4, calls run side by side, and
 * every one reserves its place in the GCRA schedule atomically before it
 * waits, so the starts still keep the burst and the spacing. In this
 * process's memory (the embedded store) and through one Redis script shared
 * by two replicas.
 */
describe('overlapping calls to one destination keep its spacing', () => {
  const log = createLogger('error', new Writable({ write(_chunk, _enc, cb) { cb(); } }));
  const harness = redisHarness();
  const prefixes: string[] = [];
  let closeAll: (() => Promise<void>) | undefined;
  afterEach(async () => { await closeAll?.(); closeAll = undefined; });
  afterAll(async () => {
    await harness.cleanup();
    for (const p of prefixes) await deleteRedisKeys(`b_${p}`);
  });

  async function run(replicas: Limiters[], calls: number) {
    const seen: { start: number; end: number }[] = [];
    await Promise.all(Array.from({ length: calls }, (_, i) => replicas[i % replicas.length]!.schedule(DESTINATION, async () => {
      const start = Date.now();
      await sleep(CALL_MS);
      seen.push({ start, end: Date.now() });
    })));
    return seen;
  }

  it('in this process (no shared state): 12 calls, up to 4 at once, no start earlier than the bucket allows', async () => {
    const limiters = new Limiters({ prefix: randomPrefix(), log, budgets: BUDGETS });
    closeAll = () => limiters.close();
    const seen = await run([limiters], 12);
    expect(seen).toHaveLength(12);
    expect(mostAtOnce(seen), 'calls overlapped').toBeGreaterThan(1);
    expect(mostAtOnce(seen)).toBeLessThanOrEqual(BUDGET.maxConcurrent);
    expect(violations(seen.map((c) => c.start), BUDGET)).toEqual([]);
    // 12 calls with a burst of 3 need at least 9 intervals.
    const starts = seen.map((c) => c.start);
    expect(Math.max(...starts) - Math.min(...starts)).toBeGreaterThanOrEqual(9 * BUDGET.minTimeMs - TOLERANCE_MS);
  }, 20_000);

  it('two replicas on one Redis: 12 calls, overlapping, one schedule reserved by script', async () => {
    const store = await harness.open();
    const prefix = randomPrefix();
    prefixes.push(prefix);
    const replicas = [0, 1].map(() => new Limiters({ redisUrl: REDIS_URL, prefix, log, state: store, budgets: BUDGETS }));
    closeAll = async () => { for (const l of replicas) await l.close(); await store.close(); };
    const seen = await run(replicas, 12);
    expect(seen).toHaveLength(12);
    expect(mostAtOnce(seen), 'calls overlapped').toBeGreaterThan(1);
    expect(mostAtOnce(seen), 'the shared slots cap what runs at once across replicas').toBeLessThanOrEqual(BUDGET.maxConcurrent);
    expect(violations(seen.map((c) => c.start), BUDGET)).toEqual([]);
  }, 30_000);
});
