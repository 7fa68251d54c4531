import type { Database } from 'better-sqlite3';
import type { SettleListHead, SpacingReservation, StorePort, WriteOp, WriteOptions } from '../../core/ports.js';
import { StoreClosedError } from '../store-errors.js';
import { expiresAt } from './expires-at.js';
import { applyWriteOps } from './apply-write-ops.js';
import { GroupCommit } from './group-commit.js';
import type { DataDirLock } from './lock-data-dir.js';
import type { ScoredMember } from './sorted-member-sql.js';
import { embeddedSql, type EmbeddedSql } from './embedded-sql.js';
import { SWEEP_INTERVAL_MS } from './sweep-expired.js';
import { reserveSpacingSql, shiftSpacingSql } from './spacing-sql.js';
import { validateRange, validateScore } from '../validate-score.js';
import type { WalSync } from './wal-sync.js';

/**
 * The durable embedded store: one SQLite file in DATA_DIR, owned by exactly
 * one process (see `lockDataDir`), on one better-sqlite3 connection. KV values
 * keep keyv's row format (kv-envelope.ts); atomic keys, lists, sets and sorted
 * sets have tables of their own.
 *
 * Every operation runs its prepared statements synchronously when it is
 * called (call order is effect order, as on Redis) and resolves once the
 * group commit that made its writes durable is done (group-commit.ts): what
 * the desk writes in one turn of the event loop shares one COMMIT, and the
 * fsyncs run off the main thread (wal-sync.ts). None of the operations costs
 * more than an index lookup, however long a list grows. Build it with `openEmbeddedStore`.
 */
export class EmbeddedStore implements StorePort {
  readonly kind = 'embedded' as const;
  private readonly commits: GroupCommit;
  private readonly sql: EmbeddedSql;
  private readonly sweeper: NodeJS.Timeout;
  private kvSweepCursor = 0;
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly lock: DataDirLock,
    private readonly wal: WalSync,
  ) {
    this.commits = new GroupCommit(db, { sync: () => wal.sync() });
    this.sql = embeddedSql(db);
    this.sweeper = setInterval(() => void this.sweepExpired().catch(() => undefined), SWEEP_INTERVAL_MS).unref();
  }

  get<T>(key: string): Promise<T | undefined> {
    return this.read(() => this.sql.kv.get<T>(key, Date.now()));
  }

  getMany<T>(keys: readonly string[]): Promise<(T | undefined)[]> {
    return this.read(() => (keys.length === 0 ? [] : this.sql.kv.getMany<T>(keys, Date.now())));
  }

  set<T>(key: string, value: T, ttlMs?: number): Promise<void> {
    return this.write(() => this.sql.kv.set(key, value, expiresAt(ttlMs)));
  }

  delete(key: string): Promise<boolean> {
    // An expired row is deleted too but reported as absent: Redis would not have the key any more.
    return this.write(() => this.sql.kv.delete(key, Date.now()));
  }

  setIfAbsent(key: string, value: string, ttlMs?: number, options?: WriteOptions): Promise<boolean> {
    return this.write(() => this.sql.atomicKeys.insertIfAbsent({ key, value, expiresAt: expiresAt(ttlMs) }, Date.now()), 'one', options);
  }

  getString(key: string): Promise<string | undefined> {
    return this.read(() => this.sql.atomicKeys.select(key, Date.now()));
  }

  setString(key: string, value: string, ttlMs?: number, options?: WriteOptions): Promise<void> {
    return this.write(() => this.sql.atomicKeys.upsert({ key, value, expiresAt: expiresAt(ttlMs) }), 'one', options);
  }

  compareAndDelete(key: string, expected: string): Promise<boolean> {
    return this.write(() => this.sql.atomicKeys.deleteIfEquals(key, expected, Date.now()));
  }

  /** Without `ttlMs` the key keeps the expiry it had (Redis `SET … KEEPTTL`). */
  compareAndSet(key: string, expected: string, next: string, ttlMs?: number): Promise<boolean> {
    return this.write(() =>
      this.sql.atomicKeys.updateIfEquals({ key, value: next, expiresAt: expiresAt(ttlMs) }, expected, Date.now()),
    );
  }

  deleteString(key: string): Promise<void> {
    return this.write(() => this.sql.atomicKeys.delete(key));
  }

  push(key: string, ...values: string[]): Promise<number> {
    return this.write(() => { this.sql.lists.append(key, values); return this.sql.lists.length(key); }, 'several');
  }

  pushWith(key: string, value: string, along: readonly WriteOp[]): Promise<number> {
    return this.write(() => { applyWriteOps(this.sql, [{ kind: 'push', key, values: [value] }, ...along], expiresAt); return this.sql.lists.length(key); }, 'several');
  }

  /** One savepoint in the group's transaction: all writes land, or none. */
  writeAtomically(ops: readonly WriteOp[]): Promise<void> {
    if (ops.length === 0) return this.read(() => undefined);
    return this.write(() => applyWriteOps(this.sql, ops, expiresAt), ops.length > 1 ? 'several' : 'one');
  }

  /** Resolves at the COMMIT: a reservation lost to a power cut can only make a call wait. */
  reserveSpacing(key: string, o: Parameters<StorePort['reserveSpacing']>[1]): Promise<SpacingReservation> {
    return this.write(() => reserveSpacingSql(this.sql.atomicKeys, key, o), 'several', { durability: 'process' });
  }

  shiftSpacing(key: string, byMs: number, ttlMs: number): Promise<void> {
    return this.write(() => shiftSpacingSql(this.sql.atomicKeys, key, byMs, ttlMs), 'several', { durability: 'process' });
  }

  counters(keys: readonly string[]): Promise<number[]> {
    return this.read(() => (keys.length === 0 ? [] : this.sql.counters.read(keys)));
  }

  range(key: string, start: number, stop: number): Promise<string[]> {
    return this.read(() => this.sql.lists.range(key, start, stop));
  }

  /** The same statements as `setIfAbsent`, else `compareAndSet(owner, owner)`, then `range`, in one call. */
  takeLeaseAndRange(leaseKey: string, owner: string, ttlMs: number, listKey: string, start: number, stop: number): Promise<string[] | undefined> {
    return this.write(() => {
      const now = Date.now();
      const lease = { key: leaseKey, value: owner, expiresAt: expiresAt(ttlMs) };
      const taken = this.sql.atomicKeys.insertIfAbsent(lease, now) || this.sql.atomicKeys.updateIfEquals(lease, owner, now);
      return taken ? this.sql.lists.range(listKey, start, stop) : undefined;
    }, 'several');
  }

  removeMemberIfListEmptyReleasing(setKey: string, member: string, listKey: string, leaseKey: string, owner: string): Promise<boolean> {
    return this.write(() => {
      const removed = this.sql.sets.removeIfListEmpty(setKey, member, listKey);
      if (removed) this.sql.atomicKeys.deleteIfEquals(leaseKey, owner, Date.now());
      return removed;
    }, 'several');
  }

  /** The statements of `compareAndSet(owner, owner)`, `writeAtomically` and `removeMemberIfListEmptyReleasing`, in one call. */
  settleListHead(o: SettleListHead): Promise<'lost' | 'held' | 'retired'> {
    return this.write(() => {
      const now = Date.now();
      const { lease, retire } = o;
      if (lease && !this.sql.atomicKeys.updateIfEquals({ key: lease.key, value: lease.owner, expiresAt: expiresAt(lease.ttlMs) }, lease.owner, now)) return 'lost';
      applyWriteOps(this.sql, [...(o.count > 0 ? [{ kind: 'dropHead' as const, key: o.listKey, count: o.count }] : []), ...o.along], expiresAt);
      if (retire && this.sql.sets.removeIfListEmpty(retire.setKey, retire.member, o.listKey)) {
        if (lease) this.sql.atomicKeys.deleteIfEquals(lease.key, lease.owner, now);
        return 'retired';
      }
      return 'held';
    }, 'several');
  }

  dropHead(key: string, count: number): Promise<void> {
    if (!(count > 0)) return this.read(() => undefined);
    return this.write(() => this.sql.lists.deleteHead(key, Math.floor(count)));
  }

  length(key: string): Promise<number> {
    return this.read(() => this.sql.lists.length(key));
  }

  addMember(key: string, member: string): Promise<void> {
    return this.write(() => this.sql.sets.insert(key, member));
  }

  removeMember(key: string, member: string): Promise<void> {
    return this.write(() => this.sql.sets.remove(key, member));
  }

  members(key: string): Promise<string[]> {
    return this.read(() => this.sql.sets.select(key));
  }

  removeMemberIfListEmpty(setKey: string, member: string, listKey: string): Promise<boolean> {
    return this.write(() => this.sql.sets.removeIfListEmpty(setKey, member, listKey));
  }

  zAdd(key: string, member: string, score: number): Promise<void> {
    return this.write(() => this.sql.sortedSets.upsert(key, member, validateScore(score)));
  }

  zRemove(key: string, member: string): Promise<boolean> {
    return this.write(() => this.sql.sortedSets.remove(key, member));
  }

  zScore(key: string, member: string): Promise<number | undefined> {
    return this.read(() => this.sql.sortedSets.score(key, member));
  }

  zRangeByScore(key: string, min: number, max: number, limit?: number): Promise<ScoredMember[]> {
    return this.read(() => { validateRange(min, max, limit); return this.sql.sortedSets.range(key, min, max, limit); });
  }

  zCard(key: string): Promise<number> {
    return this.read(() => this.sql.sortedSets.count(key));
  }

  async ping(): Promise<void> {
    await this.read(() => this.sql.ping.get());
  }

  /** Deletes expired rows that reads already ignore (runs every 30 s on its own; exposed for tests and maintenance). */
  async sweepExpired(): Promise<void> {
    await this.write(() => {
      this.kvSweepCursor = this.sql.sweep(Date.now(), this.kvSweepCursor);
    }, 'several');
  }

  /** Commits what is pending, closes the SQLite file, then releases the DATA_DIR lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweeper);
    try {
      await this.commits.settle();
      this.wal.close();
      this.db.close();
    } finally {
      await this.lock.release();
    }
  }

  private read<T>(op: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new StoreClosedError('embedded'));
    return this.commits.read(op);
  }

  private write<T>(op: () => T, statements: 'one' | 'several' = 'one', options?: WriteOptions): Promise<T> {
    if (this.closed) return Promise.reject(new StoreClosedError('embedded'));
    return this.commits.write(op, statements, options?.durability);
  }
}
