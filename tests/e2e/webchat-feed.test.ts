import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED_KEY } from '../../src/channels/webchat/history-feed.js';
import { VisitorHistory } from '../../src/channels/webchat/history.js';
import type { StorePort } from '../../src/core/ports.js';
import { embeddedHarness, redisHarness } from '../store/store-harnesses.js';
import { openWidgetSocket, texts, type WidgetSocket } from '../support/webchat-client.js';
import { HUB_SITE, startHub } from '../support/webchat-hub.js';

/**
 * Two replicas on one Redis: a line the other one appends reaches a socket
 * here through the histories' change feed, whether appended alone or in a
 * deliverer's atomic batch. The embedded store keeps no feed at all.
 */
describe('the web chat change feed on Redis, between two replicas', () => {
  const harness = redisHarness();
  let here: StorePort;
  let other: StorePort;
  let hub: Awaited<ReturnType<typeof startHub>>;
  beforeAll(async () => {
    here = await harness.open();
    other = await harness.open();
    hub = await startHub(here, { syncMs: 50 });
  });
  afterAll(async () => {
    await hub.close();
    await here.close();
    await other.close();
    await harness.cleanup();
  });

  const visitor = async (): Promise<{ w: WidgetSocket; visitorId: string }> => {
    const w = await openWidgetSocket(hub.url, HUB_SITE);
    w.send({ type: 'hello', lastSeen: 0 });
    const ready = await w.waitFor((f) => f.find((x) => x.type === 'ready'));
    return { w, visitorId: ready.visitor as string };
  };

  it('pushes a line the other replica appended, and one it wrote in a batch with its mark', async () => {
    const { w, visitorId } = await visitor();
    const elsewhere = new VisitorHistory(other);
    await elsewhere.append(visitorId, { author: 'agent', name: 'Ana', text: 'appended there', at: 1 });
    await w.waitFor((f) => (texts(f).length === 1 ? true : undefined), 3000);
    await other.writeAtomically([...elsewhere.appendOps(visitorId, { author: 'agent', name: 'Ana', text: 'delivered there', at: 2 }), { kind: 'setString', key: `mark:${visitorId}`, value: '1' }]);
    await w.waitFor((f) => (texts(f).length === 2 ? true : undefined), 3000);
    expect(texts(w.frames)).toEqual(['appended there', 'delivered there']);
    await w.close();
  });

  it('writes the feed entry in the same write as the line, naming the visitor', async () => {
    const before = (await here.range(FEED_KEY, 0, -1)).length;
    const id = await new VisitorHistory(other).append('v-feed', { author: 'visitor', text: 'x', at: 1 });
    expect(id).toBe(1);
    const feed = await here.range(FEED_KEY, 0, -1);
    expect(feed).toHaveLength(before + 1);
    expect(feed.at(-1)).toMatch(/^[0-9a-f]{12}\.\d+ v-feed$/);
  });
});

describe.each([embeddedHarness(), redisHarness()])('a list push with other writes along on the $name store', (harness) => {
  let store: StorePort;
  beforeAll(async () => { store = await harness.open(); });
  afterAll(async () => { await store.close(); await harness.cleanup(); });

  it('returns the list\'s new length and applies the other writes with it', async () => {
    await store.push('l', 'a');
    expect(await store.pushWith('l', 'b', [{ kind: 'push', key: 'm', values: ['x'] }, { kind: 'setString', key: 's', value: '1' }])).toBe(2);
    expect(await store.range('l', 0, -1)).toEqual(['a', 'b']);
    expect(await store.range('m', 0, -1)).toEqual(['x']);
    expect(await store.getString('s')).toBe('1');
  });

  it('writes nothing when one of the other writes is refused', async () => {
    await expect(store.pushWith('l2', 'b', [{ kind: 'zAdd', key: 'z', member: 'm', score: Number.NaN }])).rejects.toThrow(RangeError);
    expect(await store.length('l2')).toBe(0);
  });

  it('keeps a feed on Redis only: the embedded store\'s appends are all announced in its one process', async () => {
    await new VisitorHistory(store).append('v1', { author: 'visitor', text: 'x', at: 1 });
    expect(await store.length(FEED_KEY)).toBe(harness.name === 'redis' ? 1 : 0);
  });
});
