import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorePort, WriteOp } from '../../src/core/ports.js';
import { embeddedHarness, redisHarness, type StoreHarness } from './store-harnesses.js';

/**
 * The StorePort contract, written once and run against both implementations.
 * Every test uses keys of its own, so the tests of one store share an instance.
 */

/** Short TTLs, and waits long enough past them that a slow machine still sees the expiry. */
const TTL_MS = 100;
const PAST_TTL_MS = 300;
/**
 * The TTL of a key a test still needs a call or two after writing it (a stalled CI machine can
 * spend more than TTL_MS between two calls), and a wait past it.
 */
const LIVE_TTL_MS = 1_000;
const PAST_LIVE_TTL_MS = 1_200;

/** Issues `retire` before `produce` without waiting in between; resolves with retire's answer. */
async function retireFirst(retire: () => Promise<boolean>, produce: () => Promise<void>): Promise<boolean> {
  const [removed] = await Promise.all([retire(), produce()]);
  return removed;
}

let counter = 0;
/** A key no other test uses. */
const fresh = (name: string) => `${name}:${++counter}`;

describe.each<StoreHarness>([embeddedHarness(), redisHarness()])('the $name store', (harness) => {
  let store: StorePort;

  beforeAll(async () => {
    store = await harness.open();
  });

  afterAll(async () => {
    await store?.close();
    await harness.cleanup();
  });

  it('says which kind it is and answers ping', async () => {
    expect(store.kind).toBe(harness.name);
    await expect(store.ping()).resolves.toBeUndefined();
  });

  describe('key-value', () => {
    it('returns undefined for a key that was never set', async () => {
      expect(await store.get(fresh('kv-missing'))).toBeUndefined();
    });

    it('round-trips JSON values of every shape', async () => {
      // Strings that start with ':' are escaped by keyv's writer and must come back as written.
      const values = [{ a: 1, nested: { list: [1, 'two', null] } }, [1, 2, 3], 'text', 42, 0, true, false, null, ':colon', { a: '::b', list: [':c'] }];
      for (const value of values) {
        const key = fresh('kv-json');
        await store.set(key, value);
        expect(await store.get(key)).toEqual(value);
      }
    });

    it('overwrites a value on a second set', async () => {
      const key = fresh('kv-overwrite');
      await store.set(key, { version: 1 });
      await store.set(key, { version: 2 });
      expect(await store.get(key)).toEqual({ version: 2 });
    });

    it('getMany answers in the order asked, with undefined for missing keys and repeats honoured', async () => {
      const a = fresh('kv-many-a');
      const b = fresh('kv-many-b');
      await store.set(a, 'A');
      await store.set(b, 'B');
      expect(await store.getMany([b, fresh('kv-many-missing'), a, b])).toEqual(['B', undefined, 'A', 'B']);
      expect(await store.getMany([])).toEqual([]);
    });

    it('delete reports whether the key existed and removes it', async () => {
      const key = fresh('kv-delete');
      await store.set(key, 'x');
      expect(await store.delete(key)).toBe(true);
      expect(await store.get(key)).toBeUndefined();
      expect(await store.delete(key)).toBe(false);
    });

    it('expires a key after its TTL, for get, getMany and delete alike', async () => {
      const key = fresh('kv-ttl');
      const kept = fresh('kv-ttl-kept');
      await store.set(key, 'short-lived', LIVE_TTL_MS);
      await store.set(kept, 'stays');
      expect(await store.get(key)).toBe('short-lived');
      await sleep(PAST_LIVE_TTL_MS);
      expect(await store.get(key)).toBeUndefined();
      expect(await store.getMany([key, kept])).toEqual([undefined, 'stays']);
      expect(await store.delete(key)).toBe(false);
    });

    it('drops an earlier TTL when the key is set again without one', async () => {
      const key = fresh('kv-ttl-cleared');
      await store.set(key, 'first', TTL_MS);
      await store.set(key, 'second');
      await sleep(PAST_TTL_MS);
      expect(await store.get(key)).toBe('second');
    });

    it('rejects a TTL that is zero, negative or not a number', async () => {
      for (const ttl of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
        await expect(store.set(fresh('kv-bad-ttl'), 'x', ttl)).rejects.toThrow(RangeError);
        await expect(store.setIfAbsent(fresh('atomic-bad-ttl'), 'x', ttl)).rejects.toThrow(RangeError);
      }
    });

    it('keeps key-value, atomic, list and set keys in separate key spaces', async () => {
      const key = fresh('spaces');
      await store.set(key, 'kv');
      expect(await store.getString(key)).toBeUndefined();
      await store.setString(key, 'atomic');
      await store.push(key, 'item');
      await store.addMember(key, 'member');
      expect(await store.get(key)).toBe('kv');
      expect(await store.getString(key)).toBe('atomic');
      expect(await store.range(key, 0, -1)).toEqual(['item']);
      expect(await store.members(key)).toEqual(['member']);
    });
  });

  describe('atomic keys', () => {
    it('setIfAbsent wins only for the first caller and keeps the first value', async () => {
      const key = fresh('lease');
      expect(await store.setIfAbsent(key, 'agent-1')).toBe(true);
      expect(await store.setIfAbsent(key, 'agent-2')).toBe(false);
      expect(await store.getString(key)).toBe('agent-1');
    });

    it('setIfAbsent succeeds again once the holder has expired', async () => {
      const key = fresh('lease-ttl');
      expect(await store.setIfAbsent(key, 'agent-1', LIVE_TTL_MS)).toBe(true);
      expect(await store.setIfAbsent(key, 'agent-2', TTL_MS)).toBe(false);
      await sleep(PAST_LIVE_TTL_MS);
      expect(await store.getString(key)).toBeUndefined();
      expect(await store.setIfAbsent(key, 'agent-2')).toBe(true);
      expect(await store.getString(key)).toBe('agent-2');
    });

    it('gives exactly one winner among 50 concurrent setIfAbsent calls on one key', async () => {
      const key = fresh('race-set-if-absent');
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => store.setIfAbsent(key, `contender-${i}`, 10_000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.getString(key)).toBe(`contender-${results.indexOf(true)}`);
    });

    it('setString writes unconditionally, and a later setString without TTL clears the TTL', async () => {
      const key = fresh('set-string');
      await store.setString(key, 'one', TTL_MS);
      await store.setString(key, 'two');
      await sleep(PAST_TTL_MS);
      expect(await store.getString(key)).toBe('two');
    });

    it('setString with a TTL expires', async () => {
      const key = fresh('set-string-ttl');
      await store.setString(key, 'brief', LIVE_TTL_MS);
      expect(await store.getString(key)).toBe('brief');
      await sleep(PAST_LIVE_TTL_MS);
      expect(await store.getString(key)).toBeUndefined();
    });

    it('compareAndDelete deletes only when the key holds the expected value', async () => {
      const key = fresh('cad');
      await store.setString(key, 'owner-a');
      expect(await store.compareAndDelete(key, 'owner-b')).toBe(false);
      expect(await store.getString(key)).toBe('owner-a');
      expect(await store.compareAndDelete(key, 'owner-a')).toBe(true);
      expect(await store.getString(key)).toBeUndefined();
      expect(await store.compareAndDelete(key, 'owner-a')).toBe(false);
    });

    it('compareAndDelete does not match an expired value', async () => {
      const key = fresh('cad-expired');
      await store.setString(key, 'owner-a', TTL_MS);
      await sleep(PAST_TTL_MS);
      expect(await store.compareAndDelete(key, 'owner-a')).toBe(false);
    });

    it('lets exactly one of 10 concurrent compareAndDelete calls succeed', async () => {
      const key = fresh('race-cad');
      await store.setString(key, 'owner');
      const results = await Promise.all(Array.from({ length: 10 }, () => store.compareAndDelete(key, 'owner')));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('compareAndSet replaces only the expected value and fails on a missing key', async () => {
      const key = fresh('cas');
      expect(await store.compareAndSet(key, 'a', 'b')).toBe(false);
      expect(await store.getString(key)).toBeUndefined();
      await store.setString(key, 'a');
      expect(await store.compareAndSet(key, 'x', 'b')).toBe(false);
      expect(await store.getString(key)).toBe('a');
      expect(await store.compareAndSet(key, 'a', 'b')).toBe(true);
      expect(await store.getString(key)).toBe('b');
    });

    it('compareAndSet with a TTL sets a new expiry', async () => {
      const renewed = fresh('cas-renew');
      await store.setString(renewed, 'lease', LIVE_TTL_MS);
      expect(await store.compareAndSet(renewed, 'lease', 'lease', 10_000)).toBe(true);
      const shortened = fresh('cas-shorten');
      await store.setString(shortened, 'lease');
      expect(await store.compareAndSet(shortened, 'lease', 'lease-2', TTL_MS)).toBe(true);
      await sleep(PAST_LIVE_TTL_MS);
      expect(await store.getString(renewed)).toBe('lease');
      expect(await store.getString(shortened)).toBeUndefined();
    });

    it('compareAndSet without a TTL keeps the expiry the key had', async () => {
      const key = fresh('cas-keepttl');
      await store.setString(key, 'a', LIVE_TTL_MS);
      expect(await store.compareAndSet(key, 'a', 'b')).toBe(true);
      expect(await store.getString(key)).toBe('b');
      await sleep(PAST_LIVE_TTL_MS);
      expect(await store.getString(key)).toBeUndefined();
    });

    it('compareAndSet does not match an expired value', async () => {
      const key = fresh('cas-expired');
      await store.setString(key, 'a', TTL_MS);
      await sleep(PAST_TTL_MS);
      expect(await store.compareAndSet(key, 'a', 'b')).toBe(false);
      expect(await store.getString(key)).toBeUndefined();
    });

    it('gives exactly one winner among 20 concurrent compareAndSet calls from the same value', async () => {
      const key = fresh('race-cas');
      await store.setString(key, 'v0');
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.compareAndSet(key, 'v0', `v${i + 1}`)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.getString(key)).toBe(`v${results.indexOf(true) + 1}`);
    });

    it('loses no increment when 10 workers each add 5 through compareAndSet retry loops', async () => {
      const key = fresh('race-counter');
      await store.setString(key, '0');
      const worker = async () => {
        for (let done = 0; done < 5; ) {
          const current = (await store.getString(key))!;
          if (await store.compareAndSet(key, current, String(Number(current) + 1))) done++;
        }
      };
      await Promise.all(Array.from({ length: 10 }, worker));
      expect(await store.getString(key)).toBe('50');
    });

    it('deleteString removes the key whatever it holds, and ignores a missing key', async () => {
      const key = fresh('delete-string');
      await store.setString(key, 'anything');
      await store.deleteString(key);
      expect(await store.getString(key)).toBeUndefined();
      await expect(store.deleteString(key)).resolves.toBeUndefined();
      expect(await store.setIfAbsent(key, 'again')).toBe(true);
    });
  });

  describe('lists', () => {
    it('push appends in argument order and returns the new length', async () => {
      const key = fresh('list-push');
      expect(await store.push(key, 'a')).toBe(1);
      expect(await store.push(key, 'b', 'c', 'd')).toBe(4);
      expect(await store.range(key, 0, -1)).toEqual(['a', 'b', 'c', 'd']);
      expect(await store.length(key)).toBe(4);
    });

    it('push with no values returns the current length and changes nothing', async () => {
      const key = fresh('list-push-nothing');
      expect(await store.push(key)).toBe(0);
      await store.push(key, 'x');
      expect(await store.push(key)).toBe(1);
      expect(await store.range(key, 0, -1)).toEqual(['x']);
    });

    it('range follows LRANGE: inclusive bounds, negative indexes from the end, clamped to the list', async () => {
      const key = fresh('list-range');
      await store.push(key, 'a', 'b', 'c', 'd', 'e');
      expect(await store.range(key, 0, -1)).toEqual(['a', 'b', 'c', 'd', 'e']);
      expect(await store.range(key, 1, 2)).toEqual(['b', 'c']);
      expect(await store.range(key, -2, -1)).toEqual(['d', 'e']);
      expect(await store.range(key, -3, 3)).toEqual(['c', 'd']);
      expect(await store.range(key, -100, 1)).toEqual(['a', 'b']);
      expect(await store.range(key, 3, 100)).toEqual(['d', 'e']);
      expect(await store.range(key, 4, 2)).toEqual([]);
      expect(await store.range(key, 5, 10)).toEqual([]);
      expect(await store.range(key, -1, -3)).toEqual([]);
      expect(await store.range(key, 0, -6)).toEqual([]);
      expect(await store.range(fresh('list-missing'), 0, -1)).toEqual([]);
    });

    it('dropHead removes items from the head and indexes restart at the new head', async () => {
      const key = fresh('list-drop');
      await store.push(key, 'a', 'b', 'c', 'd');
      await store.dropHead(key, 2);
      expect(await store.length(key)).toBe(2);
      expect(await store.range(key, 0, 0)).toEqual(['c']);
      expect(await store.range(key, 0, -1)).toEqual(['c', 'd']);
      await store.push(key, 'e');
      expect(await store.range(key, -2, -1)).toEqual(['d', 'e']);
    });

    it('dropHead beyond the length empties the list, and the list can grow again', async () => {
      const key = fresh('list-drop-all');
      await store.push(key, 'a', 'b', 'c');
      await store.dropHead(key, 10);
      expect(await store.length(key)).toBe(0);
      expect(await store.range(key, 0, -1)).toEqual([]);
      expect(await store.push(key, 'again')).toBe(1);
      expect(await store.range(key, 0, -1)).toEqual(['again']);
    });

    it('dropHead of zero or a negative count, or on a missing list, changes nothing', async () => {
      const key = fresh('list-drop-none');
      await store.push(key, 'a', 'b');
      await store.dropHead(key, 0);
      await store.dropHead(key, -3);
      expect(await store.range(key, 0, -1)).toEqual(['a', 'b']);
      await expect(store.dropHead(fresh('list-missing'), 2)).resolves.toBeUndefined();
    });

    it('length of a missing list is 0', async () => {
      expect(await store.length(fresh('list-missing'))).toBe(0);
    });

    it('keeps every item and the call order when 100 pushes are issued without waiting', async () => {
      const key = fresh('list-concurrent');
      const lengths = await Promise.all(Array.from({ length: 100 }, (_, i) => store.push(key, `m${i}`)));
      expect(lengths).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(await store.range(key, 0, -1)).toEqual(Array.from({ length: 100 }, (_, i) => `m${i}`));
    });

    it('serves the tail of a long list correctly', async () => {
      const key = fresh('list-long');
      for (let batch = 0; batch < 10; batch++) {
        await store.push(key, ...Array.from({ length: 300 }, (_, i) => `item-${batch * 300 + i}`));
      }
      await store.dropHead(key, 1000);
      expect(await store.length(key)).toBe(2000);
      expect(await store.range(key, -2, -1)).toEqual(['item-2998', 'item-2999']);
      expect(await store.range(key, 0, 0)).toEqual(['item-1000']);
    });
  });

  describe('leases with a first read (takeLeaseAndRange)', () => {
    it('takes a free lease and reads the list range in the same call; another owner reads nothing', async () => {
      const [lease, list] = [fresh('lane-lease'), fresh('lane-items')];
      await store.push(list, 'a', 'b', 'c');
      expect(await store.takeLeaseAndRange(lease, 'replica-1', 10_000, list, 0, 1)).toEqual(['a', 'b']);
      expect(await store.getString(lease)).toBe('replica-1');
      expect(await store.takeLeaseAndRange(lease, 'replica-2', 10_000, list, 0, 1)).toBeUndefined();
      expect(await store.getString(lease)).toBe('replica-1');
    });

    it('answers an empty or missing list with no items, the lease taken all the same', async () => {
      const lease = fresh('lane-lease');
      expect(await store.takeLeaseAndRange(lease, 'replica-1', 10_000, fresh('never-pushed'), 0, 49)).toEqual([]);
      expect(await store.getString(lease)).toBe('replica-1');
    });

    it('is re-entrant for its owner and renews the TTL; the lease expires when not renewed', async () => {
      const [lease, list] = [fresh('lane-lease'), fresh('lane-items')];
      await store.push(list, 'x');
      expect(await store.takeLeaseAndRange(lease, 'replica-1', TTL_MS, list, 0, -1)).toEqual(['x']);
      expect(await store.takeLeaseAndRange(lease, 'replica-1', 10_000, list, -1, -1)).toEqual(['x']);
      await sleep(PAST_TTL_MS);
      expect(await store.getString(lease)).toBe('replica-1');
      const short = fresh('lane-lease');
      expect(await store.takeLeaseAndRange(short, 'replica-1', TTL_MS, list, 0, 0)).toEqual(['x']);
      await sleep(PAST_TTL_MS);
      expect(await store.takeLeaseAndRange(short, 'replica-2', TTL_MS, list, 0, 0)).toEqual(['x']);
      expect(await store.getString(short)).toBe('replica-2');
    });

    it('gives the lease to exactly one of 20 concurrent owners', async () => {
      const [lease, list] = [fresh('lane-lease'), fresh('lane-items')];
      await store.push(list, 'item');
      const taken = await Promise.all(Array.from({ length: 20 }, (_, i) => store.takeLeaseAndRange(lease, `replica-${i}`, 10_000, list, 0, 0)));
      expect(taken.filter((t) => t !== undefined)).toEqual([['item']]);
    });

    it('removeMemberIfListEmptyReleasing retires an empty list\'s member and deletes the owner\'s lease with it', async () => {
      const [set, list, lease] = [fresh('lanes'), fresh('lane-items'), fresh('lane-lease')];
      await store.addMember(set, 'lane');
      await store.push(list, 'pending');
      expect(await store.takeLeaseAndRange(lease, 'replica-1', 10_000, list, 0, 0)).toEqual(['pending']);
      expect(await store.removeMemberIfListEmptyReleasing(set, 'lane', list, lease, 'replica-1')).toBe(false);
      expect(await store.members(set)).toEqual(['lane']);
      expect(await store.getString(lease), 'kept while the list has items').toBe('replica-1');
      await store.dropHead(list, 1);
      expect(await store.removeMemberIfListEmptyReleasing(set, 'lane', list, lease, 'replica-1')).toBe(true);
      expect(await store.members(set)).toEqual([]);
      expect(await store.getString(lease)).toBeUndefined();
    });

    it('removeMemberIfListEmptyReleasing leaves another owner\'s lease, and deletes nothing for a non-member', async () => {
      const [set, list, lease] = [fresh('lanes'), fresh('lane-items'), fresh('lane-lease')];
      await store.addMember(set, 'lane');
      await store.setString(lease, 'replica-2', 10_000);
      expect(await store.removeMemberIfListEmptyReleasing(set, 'lane', list, lease, 'replica-1')).toBe(true);
      expect(await store.getString(lease)).toBe('replica-2');
      await store.setString(lease, 'replica-1', 10_000);
      expect(await store.removeMemberIfListEmptyReleasing(set, 'lane', list, lease, 'replica-1')).toBe(false);
      expect(await store.getString(lease), 'not a member: nothing retired, the lease kept').toBe('replica-1');
    });

    it('settleListHead drops the head with the extra writes while the lease is the owner\'s, and renews it', async () => {
      const [set, list, lease, record, counter] = [fresh('lanes'), fresh('lane-items'), fresh('lane-lease'), fresh('record'), fresh('counter')];
      await store.addMember(set, 'lane');
      await store.push(list, 'a', 'b', 'c');
      expect(await store.takeLeaseAndRange(lease, 'replica-1', LIVE_TTL_MS, list, 0, 0)).toEqual(['a']);
      const [kv, log, members, gone, sorted] = [fresh('kv'), fresh('log'), fresh('members'), fresh('gone'), fresh('sorted')];
      await store.setString(gone, 'x');
      await store.zAdd(sorted, 'old', 1);
      // One of every kind of write, with no, one and several arguments after the key.
      const along: WriteOp[] = [
        { kind: 'setString', key: record, value: 'posted', ttlMs: 60_000 }, { kind: 'incr', key: counter, by: 2 },
        { kind: 'setValue', key: kv, value: { ts: '1.2', n: 3 } }, { kind: 'push', key: log, values: ['p', 'q'] },
        { kind: 'addMember', key: members, member: 'm1' }, { kind: 'deleteString', key: gone },
        { kind: 'zAdd', key: sorted, member: 'new', score: 2.5 }, { kind: 'zRemove', key: sorted, member: 'old' },
      ];
      const retire = { setKey: set, member: 'lane' };
      expect(await store.settleListHead({ listKey: list, count: 1, along, lease: { key: lease, owner: 'replica-1', ttlMs: 10_000 }, retire })).toBe('held');
      expect(await store.range(list, 0, -1), 'the list still has items: not retired').toEqual(['b', 'c']);
      expect(await store.members(set)).toEqual(['lane']);
      expect(await store.getString(record)).toBe('posted');
      expect(await store.counters([counter])).toEqual([2]);
      expect(await store.get(kv), 'the same row a set writes').toEqual({ ts: '1.2', n: 3 });
      expect(await store.range(log, 0, -1)).toEqual(['p', 'q']);
      expect(await store.members(members)).toEqual(['m1']);
      expect(await store.getString(gone)).toBeUndefined();
      expect(await store.zRangeByScore(sorted, 0, 10)).toEqual([{ member: 'new', score: 2.5 }]);
      await sleep(PAST_LIVE_TTL_MS);
      expect(await store.getString(lease), 'renewed past its first TTL').toBe('replica-1');
      expect(await store.settleListHead({ listKey: list, count: 2, along: [], lease: { key: lease, owner: 'replica-1', ttlMs: 10_000 }, retire })).toBe('retired');
      expect(await store.range(list, 0, -1)).toEqual([]);
      expect(await store.members(set)).toEqual([]);
      expect(await store.getString(lease), 'given back with the lane').toBeUndefined();
    });

    it('settleListHead writes nothing when the lease names another owner or none', async () => {
      const [set, list, lease, record] = [fresh('lanes'), fresh('lane-items'), fresh('lane-lease'), fresh('record')];
      await store.addMember(set, 'lane');
      await store.push(list, 'a');
      const settle = () => store.settleListHead({ listKey: list, count: 1, along: [{ kind: 'setString', key: record, value: 'posted' }], lease: { key: lease, owner: 'replica-1', ttlMs: 10_000 }, retire: { setKey: set, member: 'lane' } });
      expect(await settle(), 'no lease at all').toBe('lost');
      await store.setString(lease, 'replica-2', 10_000);
      expect(await settle()).toBe('lost');
      expect(await store.range(list, 0, -1)).toEqual(['a']);
      expect(await store.members(set)).toEqual(['lane']);
      expect(await store.getString(record)).toBeUndefined();
      expect(await store.getString(lease)).toBe('replica-2');
    });

    it('settleListHead without a lease (the only writer) drops and retires; a refused extra write leaves everything unsent', async () => {
      const [set, list, sorted] = [fresh('lanes'), fresh('lane-items'), fresh('sorted')];
      await store.addMember(set, 'lane');
      await store.push(list, 'a');
      await expect(store.settleListHead({ listKey: list, count: 1, along: [{ kind: 'zAdd', key: sorted, member: 'm', score: Number.NaN }], retire: { setKey: set, member: 'lane' } })).rejects.toThrow(RangeError);
      expect(await store.range(list, 0, -1)).toEqual(['a']);
      expect(await store.settleListHead({ listKey: list, count: 1, along: [{ kind: 'zAdd', key: sorted, member: 'm', score: 5 }], retire: { setKey: set, member: 'lane' } })).toBe('retired');
      expect(await store.zRangeByScore(sorted, 0, 10)).toEqual([{ member: 'm', score: 5 }]);
      expect(await store.members(set)).toEqual([]);
    });

    it('leaves a lease taken with setIfAbsent to its holder, and is released by compareAndDelete', async () => {
      const [lease, list] = [fresh('lane-lease'), fresh('lane-items')];
      expect(await store.setIfAbsent(lease, 'replica-1', 10_000)).toBe(true);
      expect(await store.takeLeaseAndRange(lease, 'replica-2', 10_000, list, 0, 0)).toBeUndefined();
      expect(await store.takeLeaseAndRange(lease, 'replica-1', 10_000, list, 0, 0)).toEqual([]);
      expect(await store.compareAndDelete(lease, 'replica-1')).toBe(true);
      expect(await store.takeLeaseAndRange(lease, 'replica-2', 10_000, list, 0, 0)).toEqual([]);
    });
  });

  describe('atomic batches', () => {
    it('applies a push, a set member and an atomic key together', async () => {
      const [list, set, atomic] = [fresh('batch-list'), fresh('batch-set'), fresh('batch-atomic')];
      await store.push(list, 'before');
      await store.writeAtomically([
        { kind: 'push', key: list, values: ['a', 'b'] },
        { kind: 'addMember', key: set, member: 'lane-1' },
        { kind: 'setString', key: atomic, value: 'done', ttlMs: 60_000 },
      ]);
      expect(await store.range(list, 0, -1)).toEqual(['before', 'a', 'b']);
      expect(await store.members(set)).toEqual(['lane-1']);
      expect(await store.getString(atomic)).toBe('done');
    });

    it('applies nothing when one write of the batch is refused', async () => {
      const [list, atomic] = [fresh('batch-none-list'), fresh('batch-none-atomic')];
      await expect(store.writeAtomically([
        { kind: 'push', key: list, values: ['a'] },
        { kind: 'setString', key: atomic, value: 'x', ttlMs: 0 },
      ])).rejects.toThrow();
      expect(await store.length(list)).toBe(0);
      expect(await store.getString(atomic)).toBeUndefined();
      // The store still works after the refused batch.
      await store.writeAtomically([{ kind: 'push', key: list, values: ['b'] }]);
      expect(await store.range(list, 0, -1)).toEqual(['b']);
    });

    it('keeps list order when 50 batches and plain pushes are issued without waiting', async () => {
      const key = fresh('batch-order');
      await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2
        ? store.push(key, `m${i}`)
        : store.writeAtomically([{ kind: 'push', key, values: [`m${i}`] }]))));
      expect(await store.range(key, 0, -1)).toEqual(Array.from({ length: 50 }, (_, i) => `m${i}`));
    });

    it('applies zAdd, zRemove and deleteString together with the other op kinds, in order', async () => {
      const [list, set, atomic, gone, zset] = [fresh('zb-list'), fresh('zb-set'), fresh('zb-atomic'), fresh('zb-gone'), fresh('zb-zset')];
      await store.zAdd(zset, 'cancelled', 5);
      await store.setString(gone, 'record');
      await store.writeAtomically([
        { kind: 'push', key: list, values: ['effect'] },
        { kind: 'zAdd', key: zset, member: 'moved', score: 30 },
        { kind: 'addMember', key: set, member: 'm' },
        { kind: 'zRemove', key: zset, member: 'cancelled' },
        { kind: 'zRemove', key: zset, member: 'never-there' },
        { kind: 'zAdd', key: zset, member: 'moved', score: 20 },
        { kind: 'zAdd', key: zset, member: 'new', score: 20 },
        { kind: 'setString', key: atomic, value: 'v' },
        { kind: 'deleteString', key: gone },
        { kind: 'deleteString', key: fresh('zb-never-set') },
      ]);
      expect(await store.range(list, 0, -1)).toEqual(['effect']);
      expect(await store.members(set)).toEqual(['m']);
      expect(await store.getString(atomic)).toBe('v');
      expect(await store.getString(gone)).toBeUndefined();
      expect(await store.zRangeByScore(zset, -Infinity, Infinity)).toEqual([{ member: 'moved', score: 20 }, { member: 'new', score: 20 }]);
    });

    it('applies none of a batch whose sorted-set write is refused', async () => {
      const [list, zset, atomic] = [fresh('zb-none-list'), fresh('zb-none-zset'), fresh('zb-none-atomic')];
      await store.setString(atomic, 'kept');
      await expect(store.writeAtomically([
        { kind: 'push', key: list, values: ['a'] },
        { kind: 'zAdd', key: zset, member: 'ok', score: 1 },
        { kind: 'deleteString', key: atomic },
        { kind: 'zAdd', key: zset, member: 'bad', score: Number.NaN },
      ])).rejects.toThrow(RangeError);
      expect(await store.length(list)).toBe(0);
      expect(await store.zCard(zset)).toBe(0);
      expect(await store.getString(atomic)).toBe('kept');
    });

    it('writes a KV record (setValue) that get, getMany and delete read as one written by set, in the KV key space', async () => {
      const values = [{ a: 1, nested: { list: [1, 'two', null] } }, [1, 2, 3], 'text', 0, false, null, ':colon', { a: '::b', list: [':c'] }];
      const recordKeys = values.map(() => fresh('batch-kv'));
      const [list, overwritten] = [fresh('batch-kv-list'), fresh('batch-kv-overwritten')];
      await store.set(overwritten, { version: 1 });
      await store.writeAtomically([
        ...values.map((value, i) => ({ kind: 'setValue' as const, key: recordKeys[i]!, value })),
        { kind: 'push', key: list, values: ['effect'] },
        { kind: 'setValue', key: overwritten, value: { version: 2 } },
        { kind: 'setValue', key: overwritten, value: { version: 3 } },
      ]);
      for (const [i, key] of recordKeys.entries()) expect(await store.get(key)).toEqual(values[i]);
      expect(await store.getMany([recordKeys[0]!, overwritten, fresh('batch-kv-missing')])).toEqual([values[0], { version: 3 }, undefined]);
      expect(await store.range(list, 0, -1)).toEqual(['effect']);
      expect(await store.getString(overwritten)).toBeUndefined();
      expect(await store.delete(overwritten)).toBe(true);
      expect(await store.get(overwritten)).toBeUndefined();
    });

    it('expires a KV record written by a batch with a TTL, and a later setValue without one clears it', async () => {
      const [short, cleared] = [fresh('batch-kv-ttl'), fresh('batch-kv-ttl-cleared')];
      await store.writeAtomically([{ kind: 'setValue', key: short, value: 'v', ttlMs: LIVE_TTL_MS }, { kind: 'setValue', key: cleared, value: 'first', ttlMs: TTL_MS }]);
      await store.writeAtomically([{ kind: 'setValue', key: cleared, value: 'second' }]);
      expect(await store.get(short)).toBe('v');
      await sleep(PAST_LIVE_TTL_MS);
      expect(await store.get(short)).toBeUndefined();
      expect(await store.get(cleared)).toBe('second');
    });

    it('refuses a setValue TTL that set refuses, and writes nothing of its batch', async () => {
      for (const ttlMs of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
        const [record, list] = [fresh('batch-kv-bad-ttl'), fresh('batch-kv-bad-ttl-list')];
        await expect(store.writeAtomically([
          { kind: 'setValue', key: record, value: 'x' },
          { kind: 'push', key: list, values: ['a'] },
          { kind: 'setValue', key: fresh('batch-kv-bad-ttl'), value: 'y', ttlMs },
        ])).rejects.toThrow(RangeError);
        expect(await store.get(record)).toBeUndefined();
        expect(await store.length(list)).toBe(0);
      }
    });

    it('applies none of a batch that starts with a record and fails later: the record keeps its old value', async () => {
      const [record, fresh1, list, zset] = [fresh('batch-kv-fail'), fresh('batch-kv-fail-new'), fresh('batch-kv-fail-list'), fresh('batch-kv-fail-zset')];
      await store.set(record, { version: 1 });
      await expect(store.writeAtomically([
        { kind: 'setValue', key: record, value: { version: 2 } },
        { kind: 'setValue', key: fresh1, value: 'new' },
        { kind: 'push', key: list, values: ['a'] },
        { kind: 'incr', key: fresh('batch-kv-fail-counter'), by: 1.5 },
        { kind: 'zAdd', key: zset, member: 'm', score: 1 },
      ])).rejects.toThrow(RangeError);
      expect(await store.get(record)).toEqual({ version: 1 });
      expect(await store.get(fresh1)).toBeUndefined();
      expect(await store.length(list)).toBe(0);
      expect(await store.zCard(zset)).toBe(0);
    });

    it('expires an atomic key written by a batch with a TTL', async () => {
      const key = fresh('batch-ttl');
      await store.writeAtomically([{ kind: 'setString', key, value: 'v', ttlMs: LIVE_TTL_MS }]);
      expect(await store.getString(key)).toBe('v');
      await sleep(PAST_LIVE_TTL_MS);
      expect(await store.getString(key)).toBeUndefined();
    });
  });

  describe('sorted sets', () => {
    it('zAdd adds or moves a member, zScore reads it, zRemove says whether it was there', async () => {
      const key = fresh('zset');
      await store.zAdd(key, 'a', 10);
      await store.zAdd(key, 'b', 5);
      expect(await store.zScore(key, 'a')).toBe(10);
      await store.zAdd(key, 'a', 1.5);
      expect(await store.zScore(key, 'a')).toBe(1.5);
      expect(await store.zCard(key)).toBe(2);
      expect(await store.zRemove(key, 'a')).toBe(true);
      expect(await store.zRemove(key, 'a')).toBe(false);
      expect(await store.zScore(key, 'a')).toBeUndefined();
      expect(await store.zRangeByScore(key, -Infinity, Infinity)).toEqual([{ member: 'b', score: 5 }]);
    });

    it('answers an empty or missing set with nothing', async () => {
      const key = fresh('zset-missing');
      expect(await store.zCard(key)).toBe(0);
      expect(await store.zScore(key, 'x')).toBeUndefined();
      expect(await store.zRemove(key, 'x')).toBe(false);
      expect(await store.zRangeByScore(key, 0, 1e15)).toEqual([]);
      await store.zAdd(key, 'only', 1);
      await store.zRemove(key, 'only');
      expect(await store.zCard(key)).toBe(0);
      expect(await store.zRangeByScore(key, -Infinity, Infinity)).toEqual([]);
    });

    it('ranges inclusive bounds in score order, ties by member, and honours the limit', async () => {
      const key = fresh('zset-range');
      // Issued out of order, with ties at 2000 and a ms timestamp, to show the store sorts.
      await store.zAdd(key, 'late', 1_795_000_000_000);
      await store.zAdd(key, 'tie-c', 2000);
      await store.zAdd(key, 'tie-a', 2000);
      await store.zAdd(key, 'early', 1000);
      await store.zAdd(key, 'tie-b', 2000);
      await store.zAdd(key, 'negative', -3);
      expect(await store.zRangeByScore(key, 1000, 2000)).toEqual([
        { member: 'early', score: 1000 },
        { member: 'tie-a', score: 2000 },
        { member: 'tie-b', score: 2000 },
        { member: 'tie-c', score: 2000 },
      ]);
      expect((await store.zRangeByScore(key, -Infinity, 1999)).map((m) => m.member)).toEqual(['negative', 'early']);
      expect((await store.zRangeByScore(key, 2000, Infinity, 2)).map((m) => m.member)).toEqual(['tie-a', 'tie-b']);
      expect(await store.zRangeByScore(key, -Infinity, Infinity, 0)).toEqual([]);
      expect((await store.zRangeByScore(key, 0, Infinity, 10)).map((m) => m.member)).toEqual(['early', 'tie-a', 'tie-b', 'tie-c', 'late']);
      expect(await store.zRangeByScore(key, 1001, 1999)).toEqual([]);
      expect(await store.zScore(key, 'late')).toBe(1_795_000_000_000);
    });

    it('refuses a NaN or infinite score and a bad range, and stores nothing', async () => {
      const key = fresh('zset-bad');
      for (const score of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        await expect(store.zAdd(key, 'm', score)).rejects.toThrow(RangeError);
        await expect(store.writeAtomically([{ kind: 'zAdd', key, member: 'm', score }])).rejects.toThrow(RangeError);
      }
      await expect(store.zRangeByScore(key, Number.NaN, 1)).rejects.toThrow(RangeError);
      await expect(store.zRangeByScore(key, 0, 1, -1)).rejects.toThrow(RangeError);
      await expect(store.zRangeByScore(key, 0, 1, 1.5)).rejects.toThrow(RangeError);
      expect(await store.zCard(key)).toBe(0);
    });

    it('keeps sorted-set keys apart from set and list keys of the same name', async () => {
      const key = fresh('zset-spaces');
      await store.addMember(key, 'in-set');
      await store.push(key, 'in-list');
      await store.zAdd(key, 'in-zset', 1);
      expect(await store.members(key)).toEqual(['in-set']);
      expect(await store.zRangeByScore(key, -Infinity, Infinity)).toEqual([{ member: 'in-zset', score: 1 }]);
    });
  });

  describe('sets', () => {
    it('adds members once, lists them and removes them', async () => {
      const key = fresh('set');
      await store.addMember(key, 'lane-1');
      await store.addMember(key, 'lane-2');
      await store.addMember(key, 'lane-1');
      expect((await store.members(key)).sort()).toEqual(['lane-1', 'lane-2']);
      await store.removeMember(key, 'lane-1');
      await store.removeMember(key, 'not-a-member');
      expect(await store.members(key)).toEqual(['lane-2']);
      expect(await store.members(fresh('set-missing'))).toEqual([]);
    });

    it('removeMemberIfListEmpty keeps the member while its list has items', async () => {
      const set = fresh('lanes');
      const list = fresh('lane-items');
      await store.addMember(set, 'lane');
      await store.push(list, 'pending');
      expect(await store.removeMemberIfListEmpty(set, 'lane', list)).toBe(false);
      expect(await store.members(set)).toEqual(['lane']);
      await store.dropHead(list, 1);
      expect(await store.removeMemberIfListEmpty(set, 'lane', list)).toBe(true);
      expect(await store.members(set)).toEqual([]);
    });

    it('removeMemberIfListEmpty removes a member whose list never existed, and is false for a non-member', async () => {
      const set = fresh('lanes');
      await store.addMember(set, 'lane');
      expect(await store.removeMemberIfListEmpty(set, 'lane', fresh('never-pushed'))).toBe(true);
      expect(await store.removeMemberIfListEmpty(set, 'lane', fresh('never-pushed'))).toBe(false);
    });

    it('never retires a lane that has an item, however push and removeMemberIfListEmpty interleave', async () => {
      // The outbox protocol: a producer pushes, then registers the lane; a worker
      // retires the lane only through removeMemberIfListEmpty.
      const set = fresh('outbox-lanes');
      for (let round = 0; round < 40; round++) {
        const list = fresh('outbox-lane');
        await store.addMember(set, list);
        const producer = async () => {
          await store.push(list, `message-${round}`);
          await store.addMember(set, list);
        };
        const retire = () => store.removeMemberIfListEmpty(set, list, list);
        // Alternate which call is issued first, so both orders are exercised.
        const removed = round % 2 === 0 ? (await Promise.all([producer(), retire()]))[1] : await retireFirst(retire, producer);
        expect(removed).toBe(round % 2 !== 0);
        expect(await store.length(list)).toBe(1);
        expect(await store.members(set)).toContain(list);
        expect(await store.removeMemberIfListEmpty(set, list, list)).toBe(false);
        await store.dropHead(list, 1);
        expect(await store.removeMemberIfListEmpty(set, list, list)).toBe(true);
      }
    });
  });

  describe('counters', () => {
    it('reads 0 for a counter never written, and adds increments (also negative) in batches', async () => {
      const [a, b, never] = [fresh('count-a'), fresh('count-b'), fresh('count-never')];
      expect(await store.counters([never])).toEqual([0]);
      await store.writeAtomically([{ kind: 'incr', key: a, by: 3 }, { kind: 'incr', key: b, by: 1 }, { kind: 'incr', key: a, by: 4 }]);
      await store.writeAtomically([{ kind: 'incr', key: b, by: -2 }]);
      expect(await store.counters([a, never, b, a])).toEqual([7, 0, -1, 7]);
      expect(await store.counters([])).toEqual([]);
    });

    it('loses no increment when 200 batches are issued without waiting', async () => {
      const key = fresh('count-race');
      await Promise.all(Array.from({ length: 200 }, (_, i) => store.writeAtomically([{ kind: 'incr', key, by: i % 2 ? 2 : 1 }])));
      expect(await store.counters([key])).toEqual([300]);
    });

    it('reads thousands of counters in one call, in the order asked', async () => {
      const keys = Array.from({ length: 6000 }, (_, i) => fresh(`count-many-${i}`));
      await store.writeAtomically(keys.filter((_, i) => i % 3 === 0).map((key, j) => ({ kind: 'incr' as const, key, by: j + 1 })));
      const values = await store.counters(keys);
      expect(values).toHaveLength(6000);
      expect(values.slice(0, 7)).toEqual([1, 0, 0, 2, 0, 0, 3]);
      expect(values[5997]).toBe(2000);
    });

    it('refuses a fractional or unsafe increment and applies none of its batch', async () => {
      const [key, list] = [fresh('count-bad'), fresh('count-bad-list')];
      await expect(store.writeAtomically([{ kind: 'push', key: list, values: ['x'] }, { kind: 'incr', key, by: 1.5 }])).rejects.toThrow(RangeError);
      await expect(store.writeAtomically([{ kind: 'incr', key, by: 1 }, { kind: 'incr', key, by: 2 ** 60 }])).rejects.toThrow(RangeError);
      expect(await store.counters([key])).toEqual([0]);
      expect(await store.length(list)).toBe(0);
    });

    it('keeps counter keys apart from atomic keys of the same name', async () => {
      const key = fresh('count-space');
      await store.setString(key, 'text');
      await store.writeAtomically([{ kind: 'incr', key, by: 5 }]);
      expect(await store.getString(key)).toBe('text');
      expect(await store.counters([key])).toEqual([5]);
    });
  });

  describe('lifecycle', () => {
    it('rejects every operation after close with code store_closed, and close is idempotent', async () => {
      const other = await harness.open();
      await other.set(fresh('before-close'), 1);
      await other.close();
      await other.close();
      await expect(other.get('x')).rejects.toMatchObject({ code: 'store_closed' });
      await expect(other.push('x', 'y')).rejects.toMatchObject({ code: 'store_closed' });
      await expect(other.setIfAbsent('x', 'y')).rejects.toMatchObject({ code: 'store_closed' });
      await expect(other.ping()).rejects.toMatchObject({ code: 'store_closed' });
    });
  });
});
