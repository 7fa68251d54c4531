import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorePort } from '../../src/core/ports.js';
import { redisHarness } from '../store/store-harnesses.js';
import { openWidgetSocket, type WidgetSocket } from '../support/webchat-client.js';
import { HUB_SITE, startHub } from '../support/webchat-hub.js';

const SOCKETS = 200;
const WINDOW_MS = 4_000;

/** The store, with every call counted. */
function counting(real: StorePort): { store: StorePort; calls: { n: number } } {
  const calls = { n: 0 };
  const store = new Proxy(real, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => { calls.n++; return (v as (...a: unknown[]) => unknown).apply(target, args); };
    },
  });
  return { store, calls };
}

/**
 * What a Redis-backed hub costs the store while 200 visitors sit idle with a
 * socket open: with one length read per visitor every 2 s it was 100 calls/s
 * (issue 15); following the change feed, one read a tick whatever the number
 * of visitors (4/s at the default 250 ms).
 */
describe('store calls of an idle Redis-backed hub with 200 sockets', () => {
  const harness = redisHarness();
  let real: StorePort;
  let counted: ReturnType<typeof counting>;
  let hub: Awaited<ReturnType<typeof startHub>>;
  const sockets: WidgetSocket[] = [];
  beforeAll(async () => {
    real = await harness.open();
    counted = counting(real);
    hub = await startHub(counted.store);
    for (let i = 0; i < SOCKETS; i++) {
      const w = await openWidgetSocket(hub.url, HUB_SITE);
      w.send({ type: 'hello', lastSeen: 0 });
      await w.waitFor((f) => f.find((x) => x.type === 'ready'));
      sockets.push(w);
    }
  }, 60_000);
  afterAll(async () => {
    await Promise.all(sockets.map((w) => w.close()));
    await hub.close();
    await real.close();
    await harness.cleanup();
  });

  it('stays at a few calls a second, not one per visitor', async () => {
    await new Promise((r) => setTimeout(r, 500));
    const before = counted.calls.n;
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const perSecond = (counted.calls.n - before) / (WINDOW_MS / 1000);
    console.log(`idle store calls/s with ${SOCKETS} sockets: ${perSecond}`);
    expect(perSecond).toBeLessThanOrEqual(10);
  }, 20_000);
});
