import { describe, expect, it } from 'vitest';
import { FeedFollower } from '../../src/channels/webchat/follow-feed.js';
import { FEED_KEY } from '../../src/channels/webchat/history-feed.js';
import { VisitorHistory } from '../../src/channels/webchat/history.js';
import type { StorePort, WriteOp } from '../../src/core/ports.js';

/**
 * Replicas sharing Redis: lines one appends reach the sockets another holds
 * through the histories' change feed, which a hub reads with one call a tick
 * instead of one per visitor. An in-memory "Redis" with the list semantics
 * the feed uses (LRANGE indexes, LTRIM, SET NX), several connections on it.
 */
function sharedRedis() {
  const lists = new Map<string, string[]>();
  const atomic = new Set<string>();
  const calls = { n: 0 };
  const list = (k: string) => lists.get(k) ?? (lists.set(k, []), lists.get(k)!);
  const apply = (ops: readonly WriteOp[]) => {
    for (const op of ops) if (op.kind === 'push') list(op.key).push(...op.values);
  };
  const connection = () => {
    const c = {
      kind: 'redis' as const,
      pushWith(key: string, value: string, along: readonly WriteOp[]) {
        calls.n++; apply([{ kind: 'push', key, values: [value] }, ...along]); return Promise.resolve(list(key).length);
      },
      range(key: string, start: number, stop: number) {
        calls.n++;
        const l = list(key);
        const at = (i: number) => (i < 0 ? Math.max(0, l.length + i) : i);
        return Promise.resolve(l.slice(at(start), stop < 0 ? l.length + stop + 1 : stop + 1));
      },
      length(key: string) { calls.n++; return Promise.resolve(list(key).length); },
      dropHead(key: string, count: number) { calls.n++; list(key).splice(0, count); return Promise.resolve(); },
      setIfAbsent(key: string) { calls.n++; const won = !atomic.has(key); atomic.add(key); return Promise.resolve(won); },
    };
    return c as unknown as StorePort;
  };
  return { connection, calls, feed: () => list(FEED_KEY), unlock: () => atomic.clear() };
}

function follower(store: StorePort, here: (v: string) => boolean) {
  const notified: string[] = [];
  let fullLooks = 0;
  const f = new FeedFollower({ store, here, notify: (v) => notified.push(v), lookAtAll: () => { fullLooks++; } });
  return { f, notified, fullLooks: () => fullLooks };
}

describe('the web chat change feed between replicas', () => {
  it('tells a hub of a line another replica appended for a visitor with a socket there, once, and not of its own lines', async () => {
    const redis = sharedRedis();
    const here = redis.connection();
    const elsewhere = new VisitorHistory(redis.connection());
    const { f, notified } = follower(here, (v) => v !== 'not-here');
    await f.tick(); // starts at the end of the feed
    await elsewhere.append('v1', { author: 'agent', text: 'hi', at: 1 });
    await elsewhere.append('not-here', { author: 'agent', text: 'hi', at: 1 });
    // This replica's own appends are announced in process, not by the feed.
    await new VisitorHistory(here).append('v2', { author: 'visitor', text: 'mine', at: 1 });
    await f.tick();
    expect(notified).toEqual(['v1']);
    await elsewhere.append('v1', { author: 'agent', text: 'again', at: 2 });
    await elsewhere.append('v1', { author: 'agent', text: 'and again', at: 3 });
    await f.tick();
    await f.tick();
    expect(notified).toEqual(['v1', 'v1']);
  });

  it('reads the feed with one store call a tick however many visitors have sockets here', async () => {
    const perTick = async (visitors: number) => {
      const redis = sharedRedis();
      const elsewhere = new VisitorHistory(redis.connection());
      const { f, notified } = follower(redis.connection(), (v) => Number(v.slice(1)) < visitors);
      await f.tick();
      for (let i = 0; i < 20; i++) await elsewhere.append(`v${i * 37}`, { author: 'agent', text: 'x', at: i });
      const before = redis.calls.n;
      await f.tick();
      await f.tick();
      return { calls: (redis.calls.n - before) / 2, notified: notified.length };
    };
    const few = await perTick(10);
    const many = await perTick(1_000);
    expect(few.calls).toBe(1);
    expect(many.calls).toBe(1);
    expect(many.notified).toBe(20);
  });

  it('finds its place again after another replica trimmed the feed, and looks at every visitor once when it fell off the end', async () => {
    const redis = sharedRedis();
    const elsewhere = new VisitorHistory(redis.connection());
    const a = follower(redis.connection(), () => true);
    const b = follower(redis.connection(), () => true);
    await a.f.tick();
    await b.f.tick();
    for (let i = 0; i < 6_500; i++) await elsewhere.append(`v${i}`, { author: 'agent', text: 'x', at: i });
    await a.f.tick(); // a reads two pages, then b...
    await a.f.tick();
    for (let t = 0; t < 8; t++) await b.f.tick(); // ...reads to the end and trims
    // Trimmed back to the 5,000 entries kept, by the hub that read to the end.
    expect(redis.feed().length).toBe(5_000);
    await elsewhere.append('late', { author: 'agent', text: 'x', at: 1 });
    for (let t = 0; t < 8; t++) await a.f.tick();
    expect(a.fullLooks()).toBe(0);
    expect(new Set(a.notified).size).toBe(6_501);
    expect(b.notified).not.toContain('late');

    // b stops reading while 7,000 lines go by and a trims twice (the lock lets one trim in 10 s): b's place is gone.
    for (let i = 0; i < 3_500; i++) await elsewhere.append(`w${i}`, { author: 'agent', text: 'x', at: i });
    redis.unlock();
    for (let t = 0; t < 8; t++) await a.f.tick();
    redis.unlock();
    for (let i = 0; i < 3_500; i++) await elsewhere.append(`x${i}`, { author: 'agent', text: 'x', at: i });
    for (let t = 0; t < 8; t++) await a.f.tick();
    expect(redis.feed().length).toBe(5_000);
    expect(a.fullLooks()).toBe(0);
    await b.f.tick();
    expect(b.fullLooks()).toBe(1);
    // Then b follows the feed again.
    await elsewhere.append('after', { author: 'agent', text: 'x', at: 1 });
    await b.f.tick();
    expect(b.notified.at(-1)).toBe('after');
    expect(b.fullLooks()).toBe(1);
  });

  it('looks at every visitor here once when its first look at the feed failed, as sockets may have opened meanwhile', async () => {
    const redis = sharedRedis();
    const conn = redis.connection();
    let down = true;
    const flaky = { ...conn, kind: 'redis', length: (k: string) => (down ? Promise.reject(new Error('redis away')) : conn.length(k)) } as unknown as StorePort;
    const { f, fullLooks } = follower(flaky, () => true);
    await expect(f.tick()).rejects.toThrow('redis away');
    down = false;
    await f.tick();
    expect(fullLooks()).toBe(1);
    await f.tick();
    expect(fullLooks()).toBe(1);
  });
});
