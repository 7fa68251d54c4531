import type Keyv from 'keyv';
import type { SettleListHead, SpacingReservation, StorePort, WriteOp } from '../../core/ports.js';
import { StoreClosedError, StoreUnavailableError } from '../store-errors.js';
import { validateRange, validateScore } from '../validate-score.js';
import { validateTtl } from '../validate-ttl.js';
import { closeRedisClient } from './close-redis-client.js';
import { execWriteOps, writeOpCommands } from './exec-write-ops.js';
import { SCRIPTS } from './lua-script.js';
import { pxExpiry, type RedisClient } from './redis-client.js';
import { redisKeys, type RedisKeys } from './redis-keys.js';
import { OperationDeadlines } from './operation-deadlines.js';
import type { RedisStoreSettings } from './redis-store-settings.js';
import { rangeByScore, readCounters } from './redis-reads.js';

export type { RedisClient } from './redis-client.js';

/**
 * The Redis store, shared by any number of replicas. KV goes through keyv
 * (`<prefix>kv::<key>`); atomic keys (`<prefix>atomic:<key>`), lists
 * (`<prefix>list:<key>`), sets (`<prefix>set:<key>`) and sorted sets
 * (`<prefix>zset:<key>`) go to the raw client: `SET NX PX`, Lua for
 * compare-and-delete/compare-and-set and for `removeMemberIfListEmpty`,
 * RPUSH/LRANGE/LTRIM/LLEN, SADD/SREM/SMEMBERS, ZADD/ZREM/ZSCORE/ZRANGE/ZCARD.
 *
 * Every operation is bounded by `commandTimeoutMs`; while Redis is away
 * operations reject with `StoreUnavailableError` and `ping()` rejects, and the
 * client keeps reconnecting in the background. Build it with `openRedisStore`.
 */
export class RedisStore implements StorePort {
  readonly kind = 'redis' as const;
  private closed = false;
  private readonly keys: RedisKeys;
  private readonly deadlines: OperationDeadlines;

  constructor(
    private readonly keyv: Keyv,
    private readonly client: RedisClient,
    private readonly settings: RedisStoreSettings,
  ) {
    this.keys = redisKeys(settings.prefix);
    this.deadlines = new OperationDeadlines(settings.commandTimeoutMs, settings.where);
  }

  get<T>(key: string): Promise<T | undefined> {
    return this.run(() => this.keyv.get<T>(key));
  }

  getMany<T>(keys: readonly string[]): Promise<(T | undefined)[]> {
    return this.run(async () => (await this.keyv.getMany<T>([...keys])) as (T | undefined)[]);
  }

  async set<T>(key: string, value: T, ttlMs?: number): Promise<void> {
    const ttl = validateTtl(ttlMs);
    await this.run(() => this.keyv.set(key, value, ttl));
  }

  delete(key: string): Promise<boolean> {
    return this.run(() => this.keyv.delete(key));
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const ttl = validateTtl(ttlMs);
    const reply = await this.run(() => this.client.set(this.keys.atomic(key), value, { condition: 'NX', ...pxExpiry(ttl) }));
    return reply === 'OK';
  }

  async getString(key: string): Promise<string | undefined> {
    const reply = await this.run(() => this.client.get(this.keys.atomic(key)));
    return reply ?? undefined;
  }

  async setString(key: string, value: string, ttlMs?: number): Promise<void> {
    const ttl = validateTtl(ttlMs);
    await this.run(() => this.client.set(this.keys.atomic(key), value, pxExpiry(ttl)));
  }

  async compareAndDelete(key: string, expected: string): Promise<boolean> {
    return (await this.run(() => SCRIPTS.COMPARE_AND_DELETE.run(this.client, { keys: [this.keys.atomic(key)], arguments: [expected] }))) === 1;
  }

  /** Without `ttlMs` the key keeps the expiry it had (`SET … KEEPTTL`). */
  async compareAndSet(key: string, expected: string, next: string, ttlMs?: number): Promise<boolean> {
    const ttl = validateTtl(ttlMs);
    const args = [expected, next, ttl === undefined ? '' : String(ttl)];
    return (await this.run(() => SCRIPTS.COMPARE_AND_SET.run(this.client, { keys: [this.keys.atomic(key)], arguments: args }))) === 1;
  }

  async deleteString(key: string): Promise<void> {
    await this.run(() => this.client.del(this.keys.atomic(key)));
  }

  push(key: string, ...values: string[]): Promise<number> {
    // RPUSH needs at least one value; pushing nothing just reports the length.
    if (values.length === 0) return this.length(key);
    return this.run(() => this.client.rPush(this.keys.list(key), values));
  }

  /** One MULTI/EXEC; RPUSH, queued first, answers the list's new length. */
  async pushWith(key: string, value: string, along: readonly WriteOp[]): Promise<number> {
    return Number(((await this.run(() => execWriteOps(this.client, this.keys, [{ kind: 'push', key, values: [value] }, ...along]))) as unknown[])[0]);
  }

  range(key: string, start: number, stop: number): Promise<string[]> {
    return this.run(() => this.client.lRange(this.keys.list(key), Math.trunc(start), Math.trunc(stop)));
  }

  /** One script (lua-scripts.ts): the lease's SET NX PX (or its owner's renewal), then LRANGE. */
  async takeLeaseAndRange(leaseKey: string, owner: string, ttlMs: number, listKey: string, start: number, stop: number): Promise<string[] | undefined> {
    const ttl = validateTtl(ttlMs) ?? 0;
    const keys = [this.keys.atomic(leaseKey), this.keys.list(listKey)];
    const args = [owner, String(ttl), String(Math.trunc(start)), String(Math.trunc(stop))];
    const reply = await this.run(() => SCRIPTS.TAKE_LEASE_AND_RANGE.run(this.client, { keys, arguments: args }));
    return reply === null ? undefined : (reply as string[]);
  }

  /** One script (lua-scripts.ts SETTLE_LIST_HEAD); the extra writes are checked before anything is sent. */
  async settleListHead(o: SettleListHead): Promise<'lost' | 'held' | 'retired'> {
    const list = this.keys.list(o.listKey);
    const writes = writeOpCommands(this.keys, o.along);
    const keys = [o.lease ? this.keys.atomic(o.lease.key) : list, list, o.retire ? this.keys.set(o.retire.setKey) : list, ...writes.map((w) => w.key)];
    const args = [
      o.lease?.owner ?? '', String(o.lease ? validateTtl(o.lease.ttlMs) ?? 0 : 0), String(o.count > 0 ? Math.floor(o.count) : 0), o.retire?.member ?? '',
      ...writes.flatMap((w) => [w.command, String(w.args.length), ...w.args]),
    ];
    const reply = await this.run(() => SCRIPTS.SETTLE_LIST_HEAD.run(this.client, { keys, arguments: args }));
    return reply === 2 ? 'retired' : reply === 1 ? 'held' : 'lost';
  }

  async dropHead(key: string, count: number): Promise<void> {
    if (!(count > 0)) return this.run(async () => undefined);
    // Keep items from index `count` to the end; LTRIM deletes the key when nothing is left.
    await this.run(() => this.client.lTrim(this.keys.list(key), Math.floor(count), -1));
  }

  length(key: string): Promise<number> {
    return this.run(() => this.client.lLen(this.keys.list(key)));
  }

  async addMember(key: string, member: string): Promise<void> {
    await this.run(() => this.client.sAdd(this.keys.set(key), member));
  }

  async removeMember(key: string, member: string): Promise<void> {
    await this.run(() => this.client.sRem(this.keys.set(key), member));
  }

  members(key: string): Promise<string[]> {
    return this.run(() => this.client.sMembers(this.keys.set(key)));
  }

  async removeMemberIfListEmpty(setKey: string, member: string, listKey: string): Promise<boolean> {
    const keys = [this.keys.set(setKey), this.keys.list(listKey)];
    return (await this.run(() => SCRIPTS.REMOVE_MEMBER_IF_LIST_EMPTY.run(this.client, { keys, arguments: [member] }))) === 1;
  }

  /** One script (lua-scripts.ts): the retirement, then the lease's compare-and-delete when it retired. */
  async removeMemberIfListEmptyReleasing(setKey: string, member: string, listKey: string, leaseKey: string, owner: string): Promise<boolean> {
    const keys = [this.keys.set(setKey), this.keys.list(listKey), this.keys.atomic(leaseKey)];
    return (await this.run(() => SCRIPTS.REMOVE_MEMBER_IF_LIST_EMPTY_RELEASING.run(this.client, { keys, arguments: [member, owner] }))) === 1;
  }

  async zAdd(key: string, member: string, score: number): Promise<void> {
    validateScore(score);
    await this.run(() => this.client.zAdd(this.keys.sortedSet(key), { score, value: member }));
  }

  async zRemove(key: string, member: string): Promise<boolean> {
    return (await this.run(() => this.client.zRem(this.keys.sortedSet(key), member))) === 1;
  }

  async zScore(key: string, member: string): Promise<number | undefined> {
    return (await this.run(() => this.client.zScore(this.keys.sortedSet(key), member))) ?? undefined;
  }

  /** ZRANGE … BYSCORE [LIMIT 0 n] (redis-reads.ts). */
  async zRangeByScore(key: string, min: number, max: number, limit?: number): Promise<{ member: string; score: number }[]> {
    validateRange(min, max, limit);
    if (limit === 0) return this.run(async () => []);
    return this.run(() => rangeByScore(this.client, this.keys.sortedSet(key), min, max, limit));
  }

  zCard(key: string): Promise<number> {
    return this.run(() => this.client.zCard(this.keys.sortedSet(key)));
  }

  async reserveSpacing(key: string, o: Parameters<StorePort['reserveSpacing']>[1]): Promise<SpacingReservation> {
    const args = [o.now, o.intervalMs, o.burst, o.floor, validateTtl(o.ttlMs) ?? 0].map(String);
    const reply = await this.run(() => SCRIPTS.RESERVE_SPACING.run(this.client, { keys: [this.keys.atomic(key)], arguments: args }));
    const [verdict, value] = reply as [string, string];
    return verdict === 'go' ? { go: true, tatBefore: Number(value) } : { go: false, waitMs: Number(value) };
  }

  async shiftSpacing(key: string, byMs: number, ttlMs: number): Promise<void> {
    const args = [String(byMs), String(validateTtl(ttlMs) ?? 0)];
    await this.run(() => SCRIPTS.SHIFT_SPACING.run(this.client, { keys: [this.keys.atomic(key)], arguments: args }));
  }

  counters(keys: readonly string[]): Promise<number[]> {
    return this.run(() => readCounters(this.client, this.keys, keys));
  }

  /** MULTI/EXEC: Redis applies the queued commands as one, or none when EXEC never arrives. */
  async writeAtomically(ops: readonly WriteOp[]): Promise<void> {
    if (ops.length === 0) return this.run(async () => undefined);
    await this.run(() => execWriteOps(this.client, this.keys, ops));
  }

  /** Rejects at once while the client is reconnecting, else sends PING (bounded). */
  async ping(): Promise<void> {
    if (!this.closed && !this.client.isReady) {
      throw new StoreUnavailableError(`Redis at ${this.settings.where} is not connected; reconnecting.`);
    }
    await this.run(() => this.client.ping());
  }

  /** Lets in-flight commands finish (up to 2 s), then drops the connection and stops reconnecting. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await closeRedisClient(this.client);
  }

  /** Runs one operation bounded by `commandTimeoutMs` (see {@link OperationDeadlines}). */
  private async run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreClosedError('redis');
    return this.deadlines.run(operation);
  }
}
