import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../src/core/keys.js';
import type { Clock, StorePort, WriteOp } from '../../src/core/ports.js';
import { cancelTimerOps, scheduleTimerOps, type Timer } from '../../src/core/timers.js';
import { createLogger } from '../../src/runtime/logger.js';
import { TimerScheduler, type TimerHandlers, type TimerSchedulerOptions } from '../../src/runtime/timer-scheduler.js';
import { openStore } from '../../src/store/open-store.js';
import { StoreUnavailableError } from '../../src/store/store-errors.js';
import { embeddedHarness, redisHarness, type StoreHarness } from '../store/store-harnesses.js';

const START = 1_800_000_000_000;

/** The desk's time, moved only by the test: sleeps end when `advance` passes their end. */
class FakeClock implements Clock {
  private at = START;
  private readonly sleepers: { until: number; wake: () => void }[] = [];
  now(): number { return this.at; }
  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.sleepers.push({ until: this.at + ms, wake }));
  }
  advance(ms: number): void {
    this.at += ms;
    for (const s of this.sleepers.filter((s) => s.until <= this.at)) {
      this.sleepers.splice(this.sleepers.indexOf(s), 1);
      s.wake();
    }
  }
}

const realSleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await realSleep(10);
  }
}

let counter = 0;
const fresh = (name: string) => `${name}-${++counter}`;

/** A handler whose effect is one push of the timer's id onto `list`: counting the list counts the firings that landed. */
const pushEffect = (list: string) => async (timer: Timer): Promise<WriteOp[]> => [{ kind: 'push', key: list, values: [timer.id] }];

function capturedLog(): { log: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const log = createLogger('debug', new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } }));
  return { log, lines };
}

const schedulers: TimerScheduler[] = [];
afterEach(async () => {
  await Promise.all(schedulers.splice(0).map((s) => s.stop()));
});

function scheduler(store: StorePort, clock: Clock, handlers: TimerHandlers, extra: Partial<TimerSchedulerOptions> = {}): TimerScheduler {
  const s = new TimerScheduler({
    store, clock, handlers, log: extra.log ?? createLogger('silent'), instanceId: fresh('replica'),
    shared: store.kind === 'redis', ...extra,
  });
  schedulers.push(s);
  return s;
}

async function schedule(store: StorePort, timer: Timer): Promise<void> {
  await store.writeAtomically(scheduleTimerOps(timer));
}

describe.each<StoreHarness>([embeddedHarness(), redisHarness()])('timers on the $name store', (harness) => {
  let store: StorePort;

  beforeAll(async () => {
    store = await harness.open();
  });

  afterAll(async () => {
    await store?.close();
    await harness.cleanup();
  });

  /** Each test gets a clean timer index: the scheduler reads the one `timers` set of the store. */
  afterEach(async () => {
    for (const { member } of await store.zRangeByScore(keys.timers(), -Infinity, Infinity)) await store.writeAtomically(cancelTimerOps(member));
  });

  it('fires a timer when the clock reaches its due time, not before, woken early by notify', async () => {
    const clock = new FakeClock();
    const effects = fresh('effects');
    // A poll far longer than the test: only notify and the next due time can wake the loop.
    const s = scheduler(store, clock, { ping: pushEffect(effects) }, { pollMs: 3_600_000 });
    s.start();
    await realSleep(20);
    const dueAt = clock.now() + 5000;
    await schedule(store, { id: 'ping:c-1', kind: 'ping', convId: 'c-1', dueAt, data: { n: 1 } });
    s.notify(dueAt);
    for (const step of [1000, 1000, 1000, 1000, 999]) {
      clock.advance(step);
      expect(await s.fireDue()).toBe(0);
    }
    expect(await store.length(effects)).toBe(0);
    clock.advance(1);
    // The loop fires it by itself: no fireDue call here.
    await until(async () => (await store.length(effects)) === 1, 'the timer to fire');
    expect(await store.range(effects, 0, -1)).toEqual(['ping:c-1']);
    expect(await store.zCard(keys.timers())).toBe(0);
    expect(await store.getString(keys.timer('ping:c-1'))).toBeUndefined();
  });

  it('moves a timer rescheduled under the same id, and a cancel (even of an absent timer) removes it', async () => {
    const clock = new FakeClock();
    const effects = fresh('effects');
    const s = scheduler(store, clock, { ping: pushEffect(effects) });
    await schedule(store, { id: 'moved', kind: 'ping', dueAt: clock.now() + 1000 });
    await schedule(store, { id: 'cancelled', kind: 'ping', dueAt: clock.now() + 1000 });
    await schedule(store, { id: 'moved', kind: 'ping', dueAt: clock.now() + 3000 });
    await store.writeAtomically([...cancelTimerOps('cancelled'), ...cancelTimerOps('never-scheduled')]);
    expect(await store.zCard(keys.timers())).toBe(1);
    clock.advance(1000);
    expect(await s.fireDue()).toBe(0);
    clock.advance(2000);
    expect(await s.fireDue()).toBe(1);
    expect(await s.fireDue()).toBe(0);
    expect(await store.range(effects, 0, -1)).toEqual(['moved']);
  });

  it('refires exactly once after a crash before the batch, on a new scheduler', async () => {
    const clock = new FakeClock();
    const effects = fresh('effects');
    await schedule(store, { id: 'crashy', kind: 'ping', dueAt: clock.now() });
    let firstCalls = 0;
    // The first process dies between running the handler and writing its batch: the batch never lands.
    const dying = Object.create(store, {
      writeAtomically: { value: async () => { throw new Error('process killed before the batch'); } },
    }) as StorePort;
    const first = scheduler(dying, clock, { ping: async (t) => { firstCalls += 1; return pushEffect(effects)(t); } });
    expect(await first.fireDue()).toBe(0);
    expect(firstCalls).toBe(1);
    await first.stop();
    expect(await store.length(effects)).toBe(0);
    let secondCalls = 0;
    const second = scheduler(store, clock, { ping: async (t) => { secondCalls += 1; return pushEffect(effects)(t); } });
    expect(await second.fireDue()).toBe(1);
    clock.advance(60_000);
    expect(await second.fireDue()).toBe(0);
    expect(secondCalls).toBe(1);
    expect(await store.range(effects, 0, -1)).toEqual(['crashy']);
  });

  it('leaves a throwing handler\'s timer in place and retries it after a growing backoff, without spinning', async () => {
    const clock = new FakeClock();
    const effects = fresh('effects');
    const { log, lines } = capturedLog();
    let calls = 0;
    const s = scheduler(store, clock, {
      flaky: async (t) => {
        calls += 1;
        if (calls <= 2) throw new Error(`flaky failure ${calls}`);
        return pushEffect(effects)(t);
      },
    }, { log });
    await schedule(store, { id: 'flaky', kind: 'flaky', dueAt: clock.now() });
    s.start();
    await until(async () => calls === 1, 'the first attempt');
    // Without the clock moving, the loop does not try again however long real time runs.
    await realSleep(200);
    expect(calls).toBe(1);
    expect(await store.zCard(keys.timers())).toBe(1);
    clock.advance(999);
    expect(await s.fireDue()).toBe(0);
    expect(calls).toBe(1);
    clock.advance(1);
    await until(async () => calls === 2, 'the retry after 1 s');
    // Passes never overlap: this one runs after the loop's has recorded the failure (and fires nothing).
    expect(await s.fireDue()).toBe(0);
    clock.advance(1999);
    expect(await s.fireDue()).toBe(0);
    expect(calls).toBe(2);
    clock.advance(1);
    await until(async () => (await store.length(effects)) === 1, 'the retry after 2 s to land');
    expect(calls).toBe(3);
    expect(await store.zCard(keys.timers())).toBe(0);
    const failures = lines.filter((l) => l.includes('timer handler failed')).map((l) => JSON.parse(l) as { retryInMs: number; err: string });
    expect(failures.map((f) => f.retryInMs)).toEqual([1000, 2000]);
    expect(failures[0]!.err).toContain('flaky failure 1');
  });

  it('keeps a timer whose effects the store refuses (retried after a backoff) or cannot reach (the pass ends)', async () => {
    const clock = new FakeClock();
    const { log, lines } = capturedLog();
    const s = scheduler(store, clock, {
      refused: async () => [{ kind: 'zAdd', key: fresh('scores'), member: 'm', score: Number.NaN }],
    }, { log });
    await schedule(store, { id: 'refused', kind: 'refused', dueAt: clock.now() });
    expect(await s.fireDue()).toBe(0);
    expect(await store.zCard(keys.timers())).toBe(1);
    expect(lines.filter((l) => l.includes('timer handler failed'))).toHaveLength(1);
    await store.writeAtomically(cancelTimerOps('refused'));

    const outage = { down: true };
    const flaky = refusingWrites(store, outage);
    const effects = fresh('effects');
    const t = scheduler(flaky, clock, { ping: pushEffect(effects) });
    await schedule(store, { id: 'during-outage', kind: 'ping', dueAt: clock.now() });
    await expect(t.fireDue()).rejects.toMatchObject({ code: 'store_unavailable' });
    expect(await store.zScore(keys.timers(), 'during-outage')).toBe(clock.now());
    // No backoff for an outage: once the store answers, the very next pass fires it.
    outage.down = false;
    expect(await t.fireDue()).toBe(1);
    expect(await store.range(effects, 0, -1)).toEqual(['during-outage']);
  });

  it('logs a store outage once while the loop keeps polling, and fires the timer once the store is back', async () => {
    const clock = new FakeClock();
    const { log, lines } = capturedLog();
    const outage = { down: true };
    const flaky = refusingWrites(store, outage);
    const effects = fresh('effects');
    let calls = 0;
    const s = scheduler(flaky, clock, { ping: async (t) => { calls += 1; return pushEffect(effects)(t); } }, { log, pollMs: 100 });
    await schedule(store, { id: 'outage', kind: 'ping', dueAt: clock.now() });
    s.start();
    // Each check moves the clock on by a poll, whenever the loop happens to go to sleep.
    await until(async () => { clock.advance(100); return calls >= 3; }, 'three polls during the outage');
    outage.down = false;
    await until(async () => { clock.advance(100); return (await store.length(effects)) === 1; }, 'the timer to fire after the outage');
    await until(async () => lines.some((l) => l.includes('firing timers works again')), 'the recovery line');
    expect(lines.filter((l) => l.includes('firing timers failed on a store error'))).toHaveLength(1);
  });

  it('drops a timer whose handler skips it, timers of an unknown kind with one log line, and an unreadable record', async () => {
    const clock = new FakeClock();
    const { log, lines } = capturedLog();
    const s = scheduler(store, clock, { nothing: async () => 'skip' }, { log });
    for (const id of ['skipped', 'orphan-1', 'orphan-2']) {
      await schedule(store, { id, kind: id === 'skipped' ? 'nothing' : 'removed-feature', dueAt: clock.now() });
    }
    // A record no version of this code wrote: the timer is dropped, not retried for ever.
    await store.writeAtomically([
      { kind: 'setString', key: keys.timer('garbled'), value: '{not json' },
      { kind: 'zAdd', key: keys.timers(), member: 'garbled', score: clock.now() },
    ]);
    expect(await s.fireDue()).toBe(0);
    expect(await store.zCard(keys.timers())).toBe(0);
    expect(await store.getString(keys.timer('orphan-1'))).toBeUndefined();
    expect(await store.getString(keys.timer('garbled'))).toBeUndefined();
    expect(lines.filter((l) => l.includes('no handler for this kind of timer'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('timer record is missing or unreadable'))).toHaveLength(1);
  });

  it('does not write the effects of a timer moved while its handler ran: it fires at its new time', async () => {
    const clock = new FakeClock();
    const effects = fresh('effects');
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let calls = 0;
    const s = scheduler(store, clock, {
      slow: async (t) => { calls += 1; if (calls === 1) await gate; return pushEffect(effects)(t); },
    });
    await schedule(store, { id: 'slow', kind: 'slow', dueAt: clock.now() });
    const firing = s.fireDue();
    await until(async () => calls === 1, 'the handler to start');
    await schedule(store, { id: 'slow', kind: 'slow', dueAt: clock.now() + 10_000 });
    release();
    expect(await firing).toBe(0);
    expect(await store.length(effects)).toBe(0);
    expect(await store.zScore(keys.timers(), 'slow')).toBe(clock.now() + 10_000);
    clock.advance(10_000);
    expect(await s.fireDue()).toBe(1);
    expect(await store.range(effects, 0, -1)).toEqual(['slow']);
  });

  it('stop waits for a firing in flight, whose batch then lands', async () => {
    const clock = new FakeClock();
    const effects = fresh('effects');
    let started = false;
    const s = scheduler(store, clock, {
      slow: async (t) => { started = true; await realSleep(100); return pushEffect(effects)(t); },
    });
    await schedule(store, { id: 'in-flight', kind: 'slow', dueAt: clock.now() });
    s.start();
    await until(async () => started, 'the handler to start');
    await s.stop();
    expect(await store.range(effects, 0, -1)).toEqual(['in-flight']);
    expect(await store.zCard(keys.timers())).toBe(0);
  });
});

describe('timers on one Redis shared by two schedulers', () => {
  const harness = redisHarness();
  const stores: StorePort[] = [];

  afterAll(async () => {
    await Promise.all(schedulers.splice(0).map((s) => s.stop()));
    await Promise.all(stores.map((s) => s.close()));
    await harness.cleanup();
  });

  it('fires each of 100 timers once: every effect is written exactly once', async () => {
    const [a, b] = [await harness.open(), await harness.open()];
    stores.push(a, b);
    const clock = new FakeClock();
    const effects = fresh('effects');
    const firedBy = { a: 0, b: 0 };
    const handler = (who: 'a' | 'b') => async (t: Timer) => {
      firedBy[who] += 1;
      // A little real time inside the handler, so the replicas overlap.
      await realSleep(Math.random() * 3);
      return pushEffect(effects)(t);
    };
    const ids = Array.from({ length: 100 }, (_, i) => `shared-${i}`);
    await a.writeAtomically(ids.flatMap((id, i) => scheduleTimerOps({ id, kind: 'ping', dueAt: clock.now() + 1000 + (i % 10) })));
    const sa = scheduler(a, clock, { ping: handler('a') }, { batchSize: 25 });
    const sb = scheduler(b, clock, { ping: handler('b') }, { batchSize: 25 });
    sa.start();
    sb.start();
    clock.advance(1010);
    await until(async () => (await a.zCard(keys.timers())) === 0, 'every timer to fire', 20_000);
    // Both loops look once more: nothing is left to fire twice.
    await Promise.all([sa.fireDue(), sb.fireDue()]);
    const written = await a.range(effects, 0, -1);
    expect(written).toHaveLength(100);
    expect(new Set(written)).toEqual(new Set(ids));
    expect(firedBy.a + firedBy.b).toBeGreaterThanOrEqual(100);
  });
});

describe('timers on the embedded store across a restart', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'threaddesk-timers-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps pending timers when the store is closed and reopened on the same DATA_DIR', async () => {
    const clock = new FakeClock();
    const before = await openStore({ dataDir });
    await schedule(before, { id: 'durable', kind: 'ping', convId: 'c-9', dueAt: clock.now() + 60_000, data: { reason: 'restart' } });
    await before.close();
    const after = await openStore({ dataDir });
    try {
      const seen: Timer[] = [];
      const s = scheduler(after, clock, { ping: async (t) => { seen.push(t); return pushEffect('effects')(t); } });
      expect(await s.fireDue()).toBe(0);
      clock.advance(60_000);
      expect(await s.fireDue()).toBe(1);
      expect(seen).toEqual([{ id: 'durable', kind: 'ping', convId: 'c-9', dueAt: START + 60_000, data: { reason: 'restart' } }]);
      expect(await after.range('effects', 0, -1)).toEqual(['durable']);
      await s.stop();
    } finally {
      await after.close();
    }
  });
});

/** `store` whose batches fail as unreachable while `outage.down` is true. */
function refusingWrites(store: StorePort, outage: { down: boolean }): StorePort {
  return Object.create(store, {
    writeAtomically: {
      value: async (ops: readonly WriteOp[]) => {
        if (outage.down) throw new StoreUnavailableError('test outage');
        return store.writeAtomically(ops);
      },
    },
  }) as StorePort;
}
