import { Writable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BUDGETS } from '../support/modules.js';
import type { AtomicPort } from '../../src/core/ports.js';
import { Limiters } from '../../src/runtime/limiters.js';
import { createLogger } from '../../src/runtime/logger.js';
import { deleteRedisKeys, embeddedHarness, randomPrefix, REDIS_URL, redisHarness, type StoreHarness } from '../store/store-harnesses.js';

const DESTINATION = 'slack:post:C0STATE';
const BUDGET = BUDGETS['slack:post']!;
/** What a caller waits before reading an unreadable state again: a full burst interval. */
const RETRY_MS = BUDGET.burst! * BUDGET.minTimeMs;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The GCRA state's two operations on a real store, made to fail on demand. */
function breakable(store: AtomicPort) {
  const broken = { reads: false, writes: false };
  const port: Pick<AtomicPort, 'getString' | 'setString'> = {
    getString: async (key) => { if (broken.reads) throw new Error('connection lost'); return store.getString(key); },
    setString: async (key, value, ttl) => { if (broken.writes) throw new Error('connection lost'); return store.setString(key, value, ttl); },
  };
  return { port, broken };
}

/**
 * SPEC §10 / issue 9: an unreadable rate limiter state counts as "budget
 * spent", and a lost write does not hand out a fresh burst. A Slack channel
 * allows a burst of 3, then about one post a second; sending on a guess
 * during a store blip is how a burst turns into 429s. One warning per outage,
 * an info line when it ends. On the embedded store with a local limiter, and
 * on Redis with the limiter shared through Redis.
 */
describe.each<[string, () => StoreHarness, string | undefined]>([
  ['embedded store, local limiter', embeddedHarness, undefined],
  ['Redis store, limiter shared through Redis', redisHarness, REDIS_URL],
])('limiter state outage (%s)', (_name, harnessOf, redisUrl) => {
  const harness = harnessOf();
  const limiterPrefixes: string[] = [];
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => { await close?.(); close = undefined; });
  afterAll(async () => {
    await harness.cleanup();
    for (const p of limiterPrefixes) await deleteRedisKeys(`b_${p}`);
  });

  async function start() {
    const store = await harness.open();
    await store.deleteString(`gcra:${DESTINATION}`);
    const { port, broken } = breakable(store);
    const logs: { level: number; msg: string }[] = [];
    const log = createLogger('debug', new Writable({ write(chunk, _enc, cb) { logs.push(JSON.parse(String(chunk))); cb(); } }));
    const prefix = randomPrefix();
    limiterPrefixes.push(prefix);
    const limiters = new Limiters({ redisUrl, prefix, log, state: port, budgets: BUDGETS });
    close = async () => { broken.reads = false; broken.writes = false; await limiters.close(); await store.close(); };
    const sent: number[] = [];
    const send = () => limiters.schedule(DESTINATION, async () => { sent.push(Date.now()); });
    const lines = (level: number, start: string) => logs.filter((l) => l.level === level && l.msg.startsWith(start));
    return { store, broken, sent, send, lines };
  }

  it('sends nothing while the state cannot be read, logs one warning, and sends once it can', async () => {
    const t = await start();
    t.broken.reads = true;
    t.broken.writes = true;
    const calls = [t.send(), t.send(), t.send()];
    await sleep(RETRY_MS - 500);
    expect(t.sent, 'no call goes out on an unreadable state').toEqual([]);

    const readableAt = Date.now();
    t.broken.reads = false;
    t.broken.writes = false;
    await Promise.all(calls);
    expect(t.sent).toHaveLength(3);
    for (const at of t.sent) expect(at).toBeGreaterThanOrEqual(readableAt);
    expect(t.lines(40, 'rate limiter state unreadable'), 'one warning for the outage, not one per call or retry').toHaveLength(1);
    expect(t.lines(30, 'rate limiter state readable again')).toHaveLength(1);
  }, 20_000);

  it('does not reset the budget when a write fails: the next calls wait until the state is stored', async () => {
    const t = await start();
    t.broken.writes = true;
    const calls = [t.send(), t.send(), t.send(), t.send()];
    await sleep(RETRY_MS - 500);
    // The first call went; its state could not be stored, so the other three would otherwise read a full budget (4 > burst).
    expect(t.sent).toHaveLength(1);
    expect(t.lines(40, 'rate limiter state unreadable')).toHaveLength(1);

    t.broken.writes = false;
    await Promise.all(calls);
    // Four calls against a burst of 3: the fourth keeps the steady spacing after the first.
    expect(t.sent[3]! - t.sent[0]!).toBeGreaterThanOrEqual(BUDGET.minTimeMs - 50);
    expect(Number(await t.store.getString(`gcra:${DESTINATION}`))).toBeGreaterThanOrEqual(t.sent[3]!);
    expect(t.lines(30, 'rate limiter state readable again')).toHaveLength(1);
    expect(t.lines(40, 'rate limiter state unreadable')).toHaveLength(1);
  }, 20_000);
});
