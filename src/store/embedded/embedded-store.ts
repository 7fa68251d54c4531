import type Keyv from 'keyv';
import type { StorePort, WriteOp } from '../../core/ports.js';
import { StoreClosedError } from '../store-errors.js';
import { validateTtl } from '../validate-ttl.js';
import { deleteKeyIfEquals, insertKeyIfAbsent, selectKey, updateKeyIfEquals, upsertKey } from './atomic-key-sql.js';
import { appendItems, deleteHead, listBounds, readRange } from './list-sql.js';
import type { DataDirLock } from './lock-data-dir.js';
import { GroupCommitQueue, type StoreTask } from './group-commit-queue.js';
import { deleteMemberIfListEmpty, insertMember, selectMembers } from './set-member-sql.js';
import type { SqlQuery } from './sqlite-schema.js';
import { sweepExpired } from './sweep-expired.js';
import { writeOpsInTransaction } from './write-ops-in-transaction.js';

/** How often expired rows nobody reads again are deleted. */
const SWEEP_INTERVAL_MS = 30_000;

/**
 * The durable embedded store: one SQLite file in DATA_DIR, owned by exactly
 * one process (see `lockDataDir`). KV goes through keyv; atomic keys, lists and
 * sets are single SQL statements on the same connection.
 *
 * Every operation runs through one {@link GroupCommitQueue}: operations take
 * effect in call order, multi-statement operations are atomic, what queues up
 * under load shares one commit, and none of them costs more than an index
 * lookup, however long a list grows.
 *
 * Build it with `openEmbeddedStore`.
 */
export class EmbeddedStore implements StorePort {
  readonly kind = 'embedded' as const;
  private readonly queue: GroupCommitQueue;
  private readonly sweeper: NodeJS.Timeout;
  private kvSweepCursor = 0;
  private closed = false;

  constructor(
    private readonly keyv: Keyv,
    private readonly query: SqlQuery,
    private readonly lock: DataDirLock,
  ) {
    this.queue = new GroupCommitQueue(query);
    this.sweeper = setInterval(() => {
      this.sweepExpired().catch(() => undefined);
    }, SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  get<T>(key: string): Promise<T | undefined> {
    return this.exclusive(() => this.keyv.get<T>(key));
  }

  async getMany<T>(keys: readonly string[]): Promise<(T | undefined)[]> {
    if (keys.length === 0) return this.exclusive(async () => []);
    return this.exclusive(async () => (await this.keyv.getMany<T>([...keys])) as (T | undefined)[]);
  }

  async set<T>(key: string, value: T, ttlMs?: number): Promise<void> {
    const ttl = validateTtl(ttlMs);
    await this.exclusive(() => this.keyv.set(key, value, ttl));
  }

  delete(key: string): Promise<boolean> {
    // keyv reports a row whose TTL has passed as deleted; Redis would not have
    // the key any more. getRaw drops an expired row first, so both agree.
    return this.exclusive(async () => (await this.keyv.getRaw(key)) !== undefined && this.keyv.delete(key));
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const expiresAt = this.expiresAt(ttlMs);
    const now = Date.now();
    return this.exclusive(() => insertKeyIfAbsent(this.query, key, value, expiresAt, now));
  }

  getString(key: string): Promise<string | undefined> {
    const now = Date.now();
    return this.exclusive(() => selectKey(this.query, key, now));
  }

  async setString(key: string, value: string, ttlMs?: number): Promise<void> {
    const expiresAt = this.expiresAt(ttlMs);
    await this.exclusive(() => upsertKey(this.query, key, value, expiresAt));
  }

  compareAndDelete(key: string, expected: string): Promise<boolean> {
    const now = Date.now();
    return this.exclusive(() => deleteKeyIfEquals(this.query, key, expected, now));
  }

  /** Without `ttlMs` the key keeps the expiry it had (Redis `SET … KEEPTTL`). */
  async compareAndSet(key: string, expected: string, next: string, ttlMs?: number): Promise<boolean> {
    const expiresAt = this.expiresAt(ttlMs);
    const now = Date.now();
    return this.exclusive(() => updateKeyIfEquals(this.query, key, expected, next, expiresAt, now));
  }

  async deleteString(key: string): Promise<void> {
    await this.sql('DELETE FROM atomic_keys WHERE key = ?1', key);
  }

  push(key: string, ...values: string[]): Promise<number> {
    return this.exclusive(async () => {
      await appendItems(this.query, key, values);
      return (await listBounds(this.query, key)).length;
    });
  }

  /** One transaction on the store's one serialised connection: all writes land, or none. */
  writeAtomically(ops: readonly WriteOp[]): Promise<void> {
    return this.exclusive((grouped) => writeOpsInTransaction(this.query, ops, (ttlMs) => this.expiresAt(ttlMs), grouped));
  }

  range(key: string, start: number, stop: number): Promise<string[]> {
    return this.exclusive(() => readRange(this.query, key, start, stop));
  }

  async dropHead(key: string, count: number): Promise<void> {
    if (!(count > 0)) return this.exclusive(async () => undefined);
    await this.exclusive(() => deleteHead(this.query, key, Math.floor(count)));
  }

  length(key: string): Promise<number> {
    return this.exclusive(async () => (await listBounds(this.query, key)).length);
  }

  async addMember(key: string, member: string): Promise<void> {
    await this.exclusive(() => insertMember(this.query, key, member));
  }

  async removeMember(key: string, member: string): Promise<void> {
    await this.sql('DELETE FROM set_members WHERE key = ?1 AND member = ?2', key, member);
  }

  members(key: string): Promise<string[]> {
    return this.exclusive(() => selectMembers(this.query, key));
  }

  removeMemberIfListEmpty(setKey: string, member: string, listKey: string): Promise<boolean> {
    return this.exclusive(() => deleteMemberIfListEmpty(this.query, setKey, member, listKey));
  }

  async ping(): Promise<void> {
    await this.sql('SELECT 1');
  }

  /**
   * Deletes expired rows that reads already ignore (runs every 30 s on its
   * own; exposed for tests and maintenance).
   */
  async sweepExpired(): Promise<void> {
    await this.exclusive(async () => {
      this.kvSweepCursor = await sweepExpired(this.query, Date.now(), this.kvSweepCursor);
    });
  }

  /** Waits for queued operations, closes the SQLite file, then releases the DATA_DIR lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweeper);
    await this.queue.drain();
    try {
      await this.keyv.disconnect();
    } finally {
      await this.lock.release();
    }
  }

  private expiresAt(ttlMs: number | undefined): number | null {
    const ttl = validateTtl(ttlMs);
    return ttl === undefined ? null : Date.now() + ttl;
  }

  private sql(statement: string, ...params: unknown[]): Promise<Record<string, unknown>[]> {
    return this.exclusive(() => this.query(statement, ...params));
  }

  private exclusive<T>(task: StoreTask<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StoreClosedError('embedded'));
    return this.queue.run(task);
  }
}
