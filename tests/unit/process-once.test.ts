import { describe, expect, it } from 'vitest';
import { createDedupe } from '../../src/core/dedupe.js';
import { processOnce } from '../../src/bot/process-once.js';
import { StoreUnavailableError } from '../../src/store/store-errors.js';
import { MemoryAtomic } from './memory-atomic.js';

/** The dedupe marks on a store that can be switched off (an outage) between calls. */
function setup() {
  const atomic = new MemoryAtomic();
  let down = false;
  const flaky = new Proxy(atomic, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (down) throw new StoreUnavailableError('test outage');
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  });
  const dedupe = createDedupe(flaky);
  return { dedupe, once: processOnce(dedupe, 'telegram'), setDown: (d: boolean) => { down = d; } };
}

describe('processOnce', () => {
  it('runs a delivery once and calls every repeat a duplicate', async () => {
    const { once } = setup();
    let runs = 0;
    expect(await once('update:1', async () => { runs += 1; })).toBe('done');
    expect(await once('update:1', async () => { runs += 1; })).toBe('duplicate');
    expect(runs).toBe(1);
  });

  it('throws a passing fault for a delivery that is still in flight, never calling it handled', async () => {
    const { once } = setup();
    let release!: () => void;
    const first = once('update:2', () => new Promise<void>((r) => { release = r; }));
    await new Promise((r) => setTimeout(r, 5));
    await expect(once('update:2', async () => {})).rejects.toMatchObject({ code: 'delivery_in_flight' });
    release();
    expect(await first).toBe('done');
  });

  it('lets the retry of a failed delivery through, also when the store refused to clear its mark', async () => {
    const { once, setDown } = setup();
    let runs = 0;
    await expect(once('update:3', async () => { runs += 1; setDown(true); throw new StoreUnavailableError('mid-update'); })).rejects.toMatchObject({ code: 'store_unavailable' });
    setDown(false);
    expect(await once('update:3', async () => { runs += 1; })).toBe('done');
    expect(runs).toBe(2);
  });

  it('does not run a delivery again whose effect was stored when only its done mark failed', async () => {
    const { once, setDown } = setup();
    let runs = 0;
    await expect(once('update:4', async () => { runs += 1; setDown(true); })).rejects.toMatchObject({ code: 'store_unavailable' });
    setDown(false);
    expect(await once('update:4', async () => { runs += 1; })).toBe('done');
    expect(await once('update:4', async () => { runs += 1; })).toBe('duplicate');
    expect(runs).toBe(1);
  });
});
