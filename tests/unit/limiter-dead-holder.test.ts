import { BUDGETS } from '../support/modules.js';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { Limiters } from '../../src/runtime/limiters.js';
import { createLogger } from '../../src/runtime/logger.js';
import { DEAD_AFTER_MS, SWEEP_MS } from '../../src/runtime/reap-dead-limiter-clients.js';
import { deleteRedisKeys, randomPrefix, REDIS_URL } from '../store/store-harnesses.js';

/** Slack chat.update: one call at a time per workspace, shared by every replica. */
const DESTINATION = 'slack:tier3:chat.update';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Two replicas' limiters on one Redis (two connections, as two processes
 * have). A replica that is alive keeps its slot through a call longer than
 * the dead-holder threshold; one that stopped heartbeating (its connection
 * gone, the job never released) loses it within seconds.
 */
describe('a shared limiter slot and the liveness of its holder (Redis)', () => {
  const prefix = randomPrefix();
  const open: Limiters[] = [];
  const logs: { level: number; msg: string }[] = [];
  const log = createLogger('debug', new Writable({ write(chunk, _enc, cb) { logs.push(JSON.parse(String(chunk))); cb(); } }));
  const replica = () => {
    const l = new Limiters({ redisUrl: REDIS_URL, prefix, log, budgets: BUDGETS });
    open.push(l);
    return l;
  };
  afterAll(async () => {
    for (const l of open) await l.close();
    await deleteRedisKeys(`b_${prefix}`);
  });

  it('keeps the slot of a live replica through a long call, so the other waits and nothing overlaps', async () => {
    const [a, b] = [replica(), replica()];
    const callMs = DEAD_AFTER_MS + 2 * SWEEP_MS + 1000;
    let aStarted = 0;
    let aEnded = 0;
    const first = a.schedule(DESTINATION, async () => { aStarted = Date.now(); await sleep(callMs); aEnded = Date.now(); });
    while (!aStarted) await sleep(10);
    let bStarted = 0;
    await Promise.all([first, b.schedule(DESTINATION, async () => { bStarted = Date.now(); })]);
    expect(bStarted, 'the waiting replica started only after the long call ended').toBeGreaterThanOrEqual(aEnded);
    expect(logs.filter((l) => l.msg.startsWith('freed rate limiter slots'))).toEqual([]);
  }, 20_000);

  it('frees the slot of a replica that stopped heartbeating within seconds', async () => {
    const [a, b] = [replica(), replica()];
    let aStarted = false;
    // Never finishes: as if the process died inside the call.
    void a.schedule(DESTINATION, () => { aStarted = true; return new Promise<void>(() => {}); });
    while (!aStarted) await sleep(10);
    let bStarted = 0;
    const waited = b.schedule(DESTINATION, async () => { bStarted = Date.now(); });
    await sleep(500);
    expect(bStarted, 'the slot is still held while its holder lives').toBe(0);
    const diedAt = Date.now();
    await a.close();
    await waited;
    const stallMs = bStarted - diedAt;
    console.info(`dead holder: the waiting replica got the slot ${stallMs} ms after the holder stopped`);
    // Silence long enough to count as dead, two sweeps to confirm it, then a heartbeat tick, plus room for a loaded machine.
    expect(stallMs).toBeLessThan(DEAD_AFTER_MS + 2 * SWEEP_MS + 3000);
    expect(logs.filter((l) => l.level === 40 && l.msg.startsWith('freed rate limiter slots held by a replica that stopped'))).toHaveLength(1);
  }, 20_000);
});
