import type { Database } from 'better-sqlite3';
import { decodeKvValue, encodeKvValue, kvRowKey, liveKvEnvelope } from './kv-envelope.js';
import { KV_TABLE } from './sqlite-schema.js';

/** The KV operations on keyv's table, as prepared statements; each runs synchronously. */
export function kvSql(db: Database) {
  const select = db.prepare<[string], string>(`SELECT value FROM ${KV_TABLE} WHERE key = ?`).pluck();
  const selectMany = db.prepare<[string], { key: string; value: string }>(
    `SELECT key, value FROM ${KV_TABLE} WHERE key IN (SELECT value FROM json_each(?))`,
  );
  const upsert = db.prepare<{ key: string; value: string }>(
    `INSERT INTO ${KV_TABLE} (key, value) VALUES (@key, @value)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  );
  const remove = db.prepare<[string], string>(`DELETE FROM ${KV_TABLE} WHERE key = ? RETURNING value`).pluck();

  return {
    get<T>(key: string, now: number): T | undefined {
      return decodeKvValue<T>(select.get(kvRowKey(key)), now);
    },

    getMany<T>(keys: readonly string[], now: number): (T | undefined)[] {
      const rowKeys = keys.map(kvRowKey);
      const found = new Map(selectMany.all(JSON.stringify(rowKeys)).map((row) => [row.key, row.value]));
      return rowKeys.map((rowKey) => decodeKvValue<T>(found.get(rowKey), now));
    },

    set(key: string, value: unknown, expiresAt: number | null): void {
      upsert.run({ key: kvRowKey(key), value: encodeKvValue(value, expiresAt) });
    },

    /** True when a live value was deleted; an expired row goes too, but counts as absent (as on Redis). */
    delete(key: string, now: number): boolean {
      return liveKvEnvelope(remove.get(kvRowKey(key)), now) !== undefined;
    },
  };
}

export type KvSql = ReturnType<typeof kvSql>;
