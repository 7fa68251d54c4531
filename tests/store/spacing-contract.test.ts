import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorePort } from '../../src/core/ports.js';
import { embeddedHarness, redisHarness, type StoreHarness } from './store-harnesses.js';

let counter = 0;
/** A key no other test uses. */
const fresh = (name: string) => `gcra:${name}:${++counter}`;
const NOW = 1_800_000_000_000;
const STEP = { intervalMs: 1000, burst: 3, floor: 0, ttlMs: 60_000 };

/**
 * SpacingPort (the rate limiter's schedule, runtime/gcra-gate.ts) on both
 * stores: one atomic check-and-reserve (a SQLite transaction, one Lua script),
 * so overlapping calls and replicas each get their own place.
 */
describe.each<StoreHarness>([embeddedHarness(), redisHarness()])('the $name store keeps a spacing schedule', (harness) => {
  let store: StorePort;
  beforeAll(async () => { store = await harness.open(); });
  afterAll(async () => { await store?.close(); await harness.cleanup(); });

  it('lets a burst of 3 go at once, then tells the 4th how long to wait, changing nothing for it', async () => {
    const key = fresh('burst');
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await store.reserveSpacing(key, { ...STEP, now: NOW }));
    expect(answers).toEqual([
      { go: true, tatBefore: 0 },
      { go: true, tatBefore: NOW + 1000 },
      { go: true, tatBefore: NOW + 2000 },
      { go: false, waitMs: 1000 },
    ]);
    expect(Number(await store.getString(key))).toBe(NOW + 3000);
    expect(await store.reserveSpacing(key, { ...STEP, now: NOW + 1000 })).toEqual({ go: true, tatBefore: NOW + 3000 });
    expect(Number(await store.getString(key))).toBe(NOW + 4000);
  });

  it('gives 10 concurrent reservations exactly the 3 places of the burst', async () => {
    const key = fresh('race');
    const answers = await Promise.all(Array.from({ length: 10 }, () => store.reserveSpacing(key, { ...STEP, now: NOW })));
    expect(answers.filter((a) => a.go)).toHaveLength(3);
    expect(Number(await store.getString(key))).toBe(NOW + 3000);
  });

  it('never goes below the floor it is given', async () => {
    const key = fresh('floor');
    expect(await store.reserveSpacing(key, { ...STEP, now: NOW, floor: NOW + 5000 })).toEqual({ go: false, waitMs: 3000 });
    expect(await store.getString(key)).toBeUndefined();
  });

  it('shifts a schedule later by a call\'s lateness, and leaves a missing one missing', async () => {
    const key = fresh('shift');
    await store.reserveSpacing(key, { ...STEP, now: NOW });
    await store.shiftSpacing(key, 37, 60_000);
    expect(Number(await store.getString(key))).toBe(NOW + 1037);
    const gone = fresh('shift-gone');
    await store.shiftSpacing(gone, 37, 60_000);
    expect(await store.getString(gone)).toBeUndefined();
  });

  it('refuses a schedule that is not a number, changing nothing', async () => {
    const key = fresh('garbage');
    await store.setString(key, 'not a number');
    await expect(store.reserveSpacing(key, { ...STEP, now: NOW })).rejects.toThrow(/expected a number/);
    await expect(store.shiftSpacing(key, 5, 60_000)).rejects.toThrow(/expected a number/);
    expect(await store.getString(key)).toBe('not a number');
  });
});
