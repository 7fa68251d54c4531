import type { createClient } from '@keyv/redis';
import type Keyv from 'keyv';
import type { StorePort, WriteOp } from '../../core/ports.js';
import { StoreClosedError, StoreUnavailableError } from '../store-errors.js';
import { validateTtl } from '../validate-ttl.js';
import { classifyRedisError } from './classify-redis-error.js';
import { COMPARE_AND_DELETE, COMPARE_AND_SET, REMOVE_MEMBER_IF_LIST_EMPTY } from './lua-scripts.js';

/** The node-redis v5 client @keyv/redis is built on. */
export type RedisClient = ReturnType<typeof createClient>;

/** How long `close()` waits for in-flight commands before dropping the connection. */
const CLOSE_GRACE_MS = 2_000;

/** What a {@link RedisStore} needs besides its clients (filled in by `openRedisStore`). */
export interface RedisStoreSettings {
  /** Prefix of every key this store touches, e.g. `threaddesk:`. */
  prefix: string;
  /** Upper bound on any one operation, connected or not. */
  commandTimeoutMs: number;
  /** Redis URL without credentials, for error messages. */
  where: string;
}

/**
 * The Redis store, shared by any number of replicas. KV goes through keyv
 * (`<prefix>kv::<key>`); atomic keys (`<prefix>atomic:<key>`), lists
 * (`<prefix>list:<key>`) and sets (`<prefix>set:<key>`) go to the raw client:
 * `SET NX PX`, Lua for compare-and-delete/compare-and-set and for
 * `removeMemberIfListEmpty`, RPUSH/LRANGE/LTRIM/LLEN, SADD/SREM/SMEMBERS.
 *
 * Every operation is bounded by `commandTimeoutMs`; while Redis is away
 * operations reject with `StoreUnavailableError` and `ping()` rejects, and the
 * client keeps reconnecting in the background. Build it with `openRedisStore`.
 */
export class RedisStore implements StorePort {
  readonly kind = 'redis' as const;
  private closed = false;

  constructor(
    private readonly keyv: Keyv,
    private readonly client: RedisClient,
    private readonly settings: RedisStoreSettings,
  ) {}

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
    const reply = await this.run(() =>
      this.client.set(this.atomicKey(key), value, {
        condition: 'NX',
        ...(ttl === undefined ? {} : { expiration: { type: 'PX' as const, value: ttl } }),
      }),
    );
    return reply === 'OK';
  }

  async getString(key: string): Promise<string | undefined> {
    const reply = await this.run(() => this.client.get(this.atomicKey(key)));
    return reply ?? undefined;
  }

  async setString(key: string, value: string, ttlMs?: number): Promise<void> {
    const ttl = validateTtl(ttlMs);
    await this.run(() =>
      this.client.set(this.atomicKey(key), value, ttl === undefined ? {} : { expiration: { type: 'PX', value: ttl } }),
    );
  }

  async compareAndDelete(key: string, expected: string): Promise<boolean> {
    const reply = await this.run(() =>
      this.client.eval(COMPARE_AND_DELETE, { keys: [this.atomicKey(key)], arguments: [expected] }),
    );
    return reply === 1;
  }

  /** Without `ttlMs` the key keeps the expiry it had (`SET … KEEPTTL`). */
  async compareAndSet(key: string, expected: string, next: string, ttlMs?: number): Promise<boolean> {
    const ttl = validateTtl(ttlMs);
    const reply = await this.run(() =>
      this.client.eval(COMPARE_AND_SET, {
        keys: [this.atomicKey(key)],
        arguments: [expected, next, ttl === undefined ? '' : String(ttl)],
      }),
    );
    return reply === 1;
  }

  async deleteString(key: string): Promise<void> {
    await this.run(() => this.client.del(this.atomicKey(key)));
  }

  push(key: string, ...values: string[]): Promise<number> {
    // RPUSH needs at least one value; pushing nothing just reports the length.
    if (values.length === 0) return this.length(key);
    return this.run(() => this.client.rPush(this.listKey(key), values));
  }

  range(key: string, start: number, stop: number): Promise<string[]> {
    return this.run(() => this.client.lRange(this.listKey(key), Math.trunc(start), Math.trunc(stop)));
  }

  async dropHead(key: string, count: number): Promise<void> {
    if (!(count > 0)) return this.run(async () => undefined);
    // Keep items from index `count` to the end; LTRIM deletes the key when nothing is left.
    await this.run(() => this.client.lTrim(this.listKey(key), Math.floor(count), -1));
  }

  length(key: string): Promise<number> {
    return this.run(() => this.client.lLen(this.listKey(key)));
  }

  async addMember(key: string, member: string): Promise<void> {
    await this.run(() => this.client.sAdd(this.setKey(key), member));
  }

  async removeMember(key: string, member: string): Promise<void> {
    await this.run(() => this.client.sRem(this.setKey(key), member));
  }

  members(key: string): Promise<string[]> {
    return this.run(() => this.client.sMembers(this.setKey(key)));
  }

  async removeMemberIfListEmpty(setKey: string, member: string, listKey: string): Promise<boolean> {
    const reply = await this.run(() =>
      this.client.eval(REMOVE_MEMBER_IF_LIST_EMPTY, {
        keys: [this.setKey(setKey), this.listKey(listKey)],
        arguments: [member],
      }),
    );
    return reply === 1;
  }

  /** MULTI/EXEC: Redis applies the queued commands as one, or none when EXEC never arrives. */
  async writeAtomically(ops: readonly WriteOp[]): Promise<void> {
    if (ops.length === 0) return this.run(async () => undefined);
    await this.run(() => {
      const multi = this.client.multi();
      for (const op of ops) {
        if (op.kind === 'push') { if (op.values.length) multi.rPush(this.listKey(op.key), [...op.values]); }
        else if (op.kind === 'addMember') multi.sAdd(this.setKey(op.key), op.member);
        else if (op.kind === 'dropHead') { if (op.count > 0) multi.lTrim(this.listKey(op.key), Math.floor(op.count), -1); }
        else {
          const ttl = validateTtl(op.ttlMs);
          multi.set(this.atomicKey(op.key), op.value, ttl === undefined ? {} : { expiration: { type: 'PX', value: ttl } });
        }
      }
      return multi.exec();
    });
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
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_GRACE_MS);
    });
    try {
      await Promise.race([this.client.close().catch(() => undefined), graceOver]);
    } finally {
      clearTimeout(timer);
      if (this.client.isOpen) this.client.destroy();
    }
  }

  private atomicKey(key: string): string {
    return `${this.settings.prefix}atomic:${key}`;
  }

  private listKey(key: string): string {
    return `${this.settings.prefix}list:${key}`;
  }

  private setKey(key: string): string {
    return `${this.settings.prefix}set:${key}`;
  }

  /**
   * Runs one operation with a deadline. node-redis already drops a command
   * still waiting in its offline queue after `commandTimeoutMs` (so it never
   * runs late), but a command written to a connection that then goes silent
   * waits for the socket to fail; this deadline bounds that case too. A
   * timed-out write may or may not have been applied, as with any network
   * timeout: callers retry idempotently.
   */
  private async run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreClosedError('redis');
    const { commandTimeoutMs, where } = this.settings;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new StoreUnavailableError(`Redis at ${where} did not answer within ${commandTimeoutMs} ms.`)),
        commandTimeoutMs + 100,
      );
    });
    try {
      return await Promise.race([operation(), deadline]);
    } catch (error) {
      throw classifyRedisError(error, where);
    } finally {
      clearTimeout(timer);
    }
  }
}
