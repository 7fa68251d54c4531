import type Keyv from 'keyv';
import type { StorePort, WriteOp } from '../../core/ports.js';
import { StoreClosedError } from '../store-errors.js';
import { validateTtl } from '../validate-ttl.js';
import type { DataDirLock } from './lock-data-dir.js';
import { SerialQueue } from './serial-queue.js';
import type { SqlQuery } from './sqlite-schema.js';
import { sweepExpired } from './sweep-expired.js';

/** How often expired rows nobody reads again are deleted. */
const SWEEP_INTERVAL_MS = 30_000;

/**
 * The durable embedded store: one SQLite file in DATA_DIR, owned by exactly
 * one process (see `lockDataDir`). KV goes through keyv; atomic keys, lists and
 * sets are single SQL statements on the same connection.
 *
 * Every operation runs through one {@link SerialQueue}: operations take effect
 * in call order, multi-statement operations are atomic, and none of them costs
 * more than an index lookup, however long a list grows.
 *
 * Build it with `openEmbeddedStore`.
 */
export class EmbeddedStore implements StorePort {
  readonly kind = 'embedded' as const;
  private readonly queue = new SerialQueue();
  private readonly sweeper: NodeJS.Timeout;
  private kvSweepCursor = 0;
  private closed = false;

  constructor(
    private readonly keyv: Keyv,
    private readonly query: SqlQuery,
    private readonly lock: DataDirLock,
  ) {
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
    // An expired holder counts as absent, so the upsert may replace it; a live one is left alone.
    const rows = await this.sql(
      `INSERT INTO atomic_keys (key, value, expires_at) VALUES (?1, ?2, ?3)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
         WHERE atomic_keys.expires_at IS NOT NULL AND atomic_keys.expires_at <= ?4
       RETURNING key`,
      key,
      value,
      expiresAt,
      now,
    );
    return rows.length === 1;
  }

  async getString(key: string): Promise<string | undefined> {
    const rows = await this.sql(
      'SELECT value FROM atomic_keys WHERE key = ?1 AND (expires_at IS NULL OR expires_at > ?2)',
      key,
      Date.now(),
    );
    return rows[0]?.['value'] as string | undefined;
  }

  async setString(key: string, value: string, ttlMs?: number): Promise<void> {
    const expiresAt = this.expiresAt(ttlMs);
    await this.sql(
      `INSERT INTO atomic_keys (key, value, expires_at) VALUES (?1, ?2, ?3)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      key,
      value,
      expiresAt,
    );
  }

  async compareAndDelete(key: string, expected: string): Promise<boolean> {
    const rows = await this.sql(
      `DELETE FROM atomic_keys WHERE key = ?1 AND value = ?2 AND (expires_at IS NULL OR expires_at > ?3)
       RETURNING key`,
      key,
      expected,
      Date.now(),
    );
    return rows.length === 1;
  }

  /** Without `ttlMs` the key keeps the expiry it had (Redis `SET … KEEPTTL`). */
  async compareAndSet(key: string, expected: string, next: string, ttlMs?: number): Promise<boolean> {
    const expiresAt = this.expiresAt(ttlMs);
    const rows = await this.sql(
      `UPDATE atomic_keys SET value = ?3, expires_at = CASE WHEN ?4 IS NULL THEN expires_at ELSE ?4 END
       WHERE key = ?1 AND value = ?2 AND (expires_at IS NULL OR expires_at > ?5)
       RETURNING key`,
      key,
      expected,
      next,
      expiresAt,
      Date.now(),
    );
    return rows.length === 1;
  }

  async deleteString(key: string): Promise<void> {
    await this.sql('DELETE FROM atomic_keys WHERE key = ?1', key);
  }

  push(key: string, ...values: string[]): Promise<number> {
    return this.exclusive(async () => {
      await this.appendItems(key, values);
      return (await this.bounds(key)).length;
    });
  }

  /** One transaction on the store's one serialised connection: all writes land, or none. */
  writeAtomically(ops: readonly WriteOp[]): Promise<void> {
    return this.exclusive(async () => {
      if (ops.length === 0) return;
      await this.query('BEGIN IMMEDIATE');
      try {
        for (const op of ops) {
          if (op.kind === 'push') await this.appendItems(op.key, op.values);
          else if (op.kind === 'addMember') await this.query('INSERT INTO set_members (key, member) VALUES (?1, ?2) ON CONFLICT DO NOTHING', op.key, op.member);
          else if (op.kind === 'dropHead') { if (op.count > 0) await this.deleteHead(op.key, Math.floor(op.count)); }
          else {
            await this.query(
              `INSERT INTO atomic_keys (key, value, expires_at) VALUES (?1, ?2, ?3)
               ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
              op.key, op.value, this.expiresAt(op.ttlMs),
            );
          }
        }
        await this.query('COMMIT');
      } catch (err) {
        await this.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  /** One statement for all values: they land together or not at all. json_each's `key` is the array index, so seqs continue the list in argument order. */
  private async appendItems(key: string, values: readonly string[]): Promise<void> {
    if (values.length === 0) return;
    await this.query(
      `INSERT INTO list_items (key, seq, value)
       SELECT ?1, tail.next + item.key, item.value
       FROM (SELECT COALESCE(MAX(seq) + 1, 0) AS next FROM list_items WHERE key = ?1) AS tail,
            json_each(?2) AS item`,
      key,
      JSON.stringify(values),
    );
  }

  range(key: string, start: number, stop: number): Promise<string[]> {
    return this.exclusive(async () => {
      const { head, length } = await this.bounds(key);
      // LRANGE semantics: negative indexes count from the end, then clamp to the list.
      const [first, last] = [Math.trunc(start), Math.trunc(stop)];
      const from = Math.max(first < 0 ? length + first : first, 0);
      const to = Math.min(last < 0 ? length + last : last, length - 1);
      if (from > to) return [];
      const rows = await this.query(
        'SELECT value FROM list_items WHERE key = ?1 AND seq BETWEEN ?2 AND ?3 ORDER BY seq',
        key,
        head + from,
        head + to,
      );
      return rows.map((row) => row['value'] as string);
    });
  }

  async dropHead(key: string, count: number): Promise<void> {
    if (!(count > 0)) return this.exclusive(async () => undefined);
    await this.exclusive(() => this.deleteHead(key, Math.floor(count)));
  }

  private async deleteHead(key: string, count: number): Promise<void> {
    await this.query(
      `DELETE FROM list_items
       WHERE key = ?1 AND seq < (SELECT MIN(seq) FROM list_items WHERE key = ?1) + ?2`,
      key,
      count,
    );
  }

  length(key: string): Promise<number> {
    return this.exclusive(async () => (await this.bounds(key)).length);
  }

  async addMember(key: string, member: string): Promise<void> {
    await this.sql('INSERT INTO set_members (key, member) VALUES (?1, ?2) ON CONFLICT DO NOTHING', key, member);
  }

  async removeMember(key: string, member: string): Promise<void> {
    await this.sql('DELETE FROM set_members WHERE key = ?1 AND member = ?2', key, member);
  }

  async members(key: string): Promise<string[]> {
    const rows = await this.sql('SELECT member FROM set_members WHERE key = ?1', key);
    return rows.map((row) => row['member'] as string);
  }

  async removeMemberIfListEmpty(setKey: string, member: string, listKey: string): Promise<boolean> {
    // One statement, and pushes are statements on the same serialised connection: atomic.
    const rows = await this.sql(
      `DELETE FROM set_members
       WHERE key = ?1 AND member = ?2 AND NOT EXISTS (SELECT 1 FROM list_items WHERE key = ?3)
       RETURNING member`,
      setKey,
      member,
      listKey,
    );
    return rows.length === 1;
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

  /** First and last seq of a list, and its length (0 when the key has no items). */
  private async bounds(key: string): Promise<{ head: number; length: number }> {
    const [row] = await this.query(
      `SELECT (SELECT MIN(seq) FROM list_items WHERE key = ?1) AS head,
              (SELECT MAX(seq) FROM list_items WHERE key = ?1) AS last`,
      key,
    );
    const head = row?.['head'];
    const last = row?.['last'];
    if (typeof head !== 'number' || typeof last !== 'number') return { head: 0, length: 0 };
    return { head, length: last - head + 1 };
  }

  private expiresAt(ttlMs: number | undefined): number | null {
    const ttl = validateTtl(ttlMs);
    return ttl === undefined ? null : Date.now() + ttl;
  }

  private sql(statement: string, ...params: unknown[]): Promise<Record<string, unknown>[]> {
    return this.exclusive(() => this.query(statement, ...params));
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StoreClosedError('embedded'));
    return this.queue.run(task);
  }
}
