import { Writable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BUDGETS } from '../support/modules.js';
import type { SpacingPort, StorePort } from '../../src/core/ports.js';
import { Limiters } from '../../src/runtime/limiters.js';
import { createLogger } from '../../src/runtime/logger.js';
import { deleteRedisKeys, embeddedHarness, randomPrefix, REDIS_URL, redisHarness, type StoreHarness } from '../store/store-harnesses.js';

const DESTINATION = 'slack:post:C0STATE';
const OTHER = 'slack:post:C0OTHER';
const BUDGET = BUDGETS['slack:post']!;
/** What a caller waits before reading an unreadable state again: a full burst interval. */
const RETRY_MS = BUDGET.burst! * BUDGET.minTimeMs;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The GCRA state's two operations on a real store, made to fail on demand. */
function breakable(store: StorePort) {
  const broken = { reservations: false, records: false };
  const port: SpacingPort = {
    reserveSpacing: async (key, o) => { if (broken.reservations) throw new Error('connection lost'); return store.reserveSpacing(key, o); },
    shiftSpacing: async (key, byMs, ttl) => { if (broken.records) throw new Error('connection lost'); return store.shiftSpacing(key, byMs, ttl); },
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
    await store.deleteString(`gcra:${OTHER}`);
    const { port, broken } = breakable(store);
    const logs: { level: number; msg: string }[] = [];
    const log = createLogger('debug', new Writable({ write(chunk, _enc, cb) { logs.push(JSON.parse(String(chunk))); cb(); } }));
    const prefix = randomPrefix();
    limiterPrefixes.push(prefix);
    const limiters = new Limiters({ redisUrl, prefix, log, state: port, budgets: BUDGETS });
    const others: Limiters[] = [];
    close = async () => { broken.reservations = false; broken.records = false; for (const l of [limiters, ...others]) await l.close(); await store.close(); };
    const sent: number[] = [];
    // Each call takes a moment on the wire, so its end is later than its reservation assumed.
    const sendTo = (destination: string) => limiters.schedule(destination, async () => { sent.push(Date.now()); await sleep(20); });
    const send = () => sendTo(DESTINATION);
    /** Another replica (or this one restarted) on the same store: its own memory, the shared schedule. */
    const replica = () => {
      const other = new Limiters({ redisUrl, prefix: randomPrefix(), log, state: port, budgets: BUDGETS });
      others.push(other);
      return other;
    };
    const lines = (level: number, start: string) => logs.filter((l) => l.level === level && l.msg.startsWith(start));
    return { store, broken, sent, send, sendTo, lines, replica };
  }

  it('sends nothing while the state cannot be read, logs one warning, and sends once it can', async () => {
    const t = await start();
    t.broken.reservations = true;
    const calls = [t.send(), t.send(), t.send()];
    await sleep(RETRY_MS - 500);
    expect(t.sent, 'no call goes out on an unreadable state').toEqual([]);

    const readableAt = Date.now();
    t.broken.reservations = false;
    await Promise.all(calls);
    expect(t.sent).toHaveLength(3);
    for (const at of t.sent) expect(at).toBeGreaterThanOrEqual(readableAt);
    expect(t.lines(40, 'rate limiter state unreadable'), 'one warning for the outage, not one per call or retry').toHaveLength(1);
    expect(t.lines(30, 'rate limiter state readable again')).toHaveLength(1);
  }, 20_000);

  it('does not reset the budget when the end of a call cannot be recorded: the reservations already hold the schedule', async () => {
    const t = await start();
    t.broken.records = true;
    await Promise.all([t.send(), t.send(), t.send(), t.send()]);
    // Four calls against a burst of 3: the fourth keeps the steady spacing after the first.
    expect(t.sent).toHaveLength(4);
    expect(t.sent[3]! - t.sent[0]!).toBeGreaterThanOrEqual(BUDGET.minTimeMs - 50);
    expect(Number(await t.store.getString(`gcra:${DESTINATION}`))).toBeGreaterThanOrEqual(t.sent[3]!);
    expect(t.lines(40, 'rate limiter state: could not record the end of a call')).toHaveLength(1);
    expect(t.lines(40, 'rate limiter state unreadable'), 'sends did not stop').toHaveLength(0);

    // Another replica (or a restart) reads the stored schedule, not a fresh burst: its call waits
    // for the fifth place, two intervals after the first call.
    const other = t.replica();
    let otherSentAt = 0;
    await other.schedule(DESTINATION, async () => { otherSentAt = Date.now(); });
    expect(otherSentAt - t.sent[0]!).toBeGreaterThanOrEqual(2 * BUDGET.minTimeMs - 50);
    t.broken.records = false;
    await t.sendTo(OTHER);
    expect(t.lines(30, 'rate limiter state: recording the end of calls works again')).toHaveLength(1);
  }, 20_000);
});
