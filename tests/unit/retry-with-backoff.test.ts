import { describe, expect, it } from 'vitest';
import { DeliveryInFlightError, INBOUND_RETRY, isPassingFault, retryWithBackoff } from '../../src/runtime/retry-with-backoff.js';
import { StoreUnavailableError } from '../../src/store/store-errors.js';

/** A clock that only moves when the retry sleeps: the waits are recorded, nothing really waits. */
function virtualTime() {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms: number) => { waits.push(ms); now += ms; },
    advance: (ms: number) => { now += ms; },
  };
}

describe('retryWithBackoff', () => {
  it('waits 1 s, 2 s, 4 s … up to 30 s between attempts, and stops once the work succeeds', async () => {
    const t = virtualTime();
    let calls = 0;
    const outcome = await retryWithBackoff(async () => { calls += 1; if (calls < 8) throw new StoreUnavailableError('down'); }, { now: t.now, sleep: t.sleep });
    expect(outcome).toEqual({ kind: 'done', attempts: 8 });
    expect(t.waits).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  it('gives up on a fault that is not passing once it has failed for the policy window, with the last error', async () => {
    const t = virtualTime();
    let calls = 0;
    const outcome = await retryWithBackoff(async () => { calls += 1; throw new TypeError(`bad update, attempt ${calls}`); }, { now: t.now, sleep: t.sleep });
    expect(outcome.kind).toBe('gave_up');
    if (outcome.kind !== 'gave_up') return;
    expect(outcome.failingForMs).toBeGreaterThanOrEqual(INBOUND_RETRY.giveUpAfterMs);
    expect(outcome.failingForMs).toBeLessThan(INBOUND_RETRY.giveUpAfterMs + INBOUND_RETRY.maxDelayMs);
    expect(String(outcome.error)).toBe(`TypeError: bad update, attempt ${calls}`);
  });

  it('never gives up while the fault is passing (store unreachable, in flight elsewhere), however long it lasts', async () => {
    const t = virtualTime();
    let calls = 0;
    const hour = 3600_000;
    const outcome = await retryWithBackoff(async () => {
      calls += 1;
      if (t.now() < hour) throw calls % 2 ? new StoreUnavailableError('down') : new DeliveryInFlightError('update 7');
    }, { now: t.now, sleep: t.sleep });
    expect(outcome.kind).toBe('done');
    expect(t.now()).toBeGreaterThanOrEqual(hour);
  });

  it('ends at once when its signal is aborted, as stopped, without another attempt', async () => {
    const stop = new AbortController();
    let calls = 0;
    const outcome = await retryWithBackoff(async () => { calls += 1; setTimeout(() => stop.abort(), 20); throw new StoreUnavailableError('down'); }, { signal: stop.signal });
    expect(outcome).toEqual({ kind: 'stopped', attempts: 1 });
    expect(calls).toBe(1);
  });

  it('reports every failure that will be retried, with the wait before the next attempt', async () => {
    const t = virtualTime();
    const seen: [string, number, number][] = [];
    let calls = 0;
    await retryWithBackoff(async () => { calls += 1; if (calls < 3) throw new Error(`fault ${calls}`); }, { now: t.now, sleep: t.sleep, onFailure: (err, attempt, wait) => seen.push([String(err), attempt, wait]) });
    expect(seen).toEqual([['Error: fault 1', 1, 1000], ['Error: fault 2', 2, 2000]]);
  });
});

describe('isPassingFault', () => {
  it('recognises a store outage and an in-flight delivery, also wrapped as grammY wraps errors', () => {
    expect(isPassingFault(new StoreUnavailableError('down'))).toBe(true);
    expect(isPassingFault(new DeliveryInFlightError('x'))).toBe(true);
    expect(isPassingFault({ name: 'BotError', error: new StoreUnavailableError('down') })).toBe(true);
    expect(isPassingFault(new Error('wrapper', { cause: new StoreUnavailableError('down') }))).toBe(true);
  });

  it('calls anything else a fault that may be poison', () => {
    expect(isPassingFault(new TypeError('x'))).toBe(false);
    expect(isPassingFault(Object.assign(new Error('x'), { code: 'permission_denied' }))).toBe(false);
    expect(isPassingFault(undefined)).toBe(false);
  });
});
