import type { Database } from 'better-sqlite3';

/** The counter operations as prepared statements (table `counters`, see sqlite-schema.ts). */
export function counterSql(db: Database) {
  const add = db.prepare<{ key: string; by: number }>(
    `INSERT INTO counters (key, value) VALUES (@key, @by)
       ON CONFLICT (key) DO UPDATE SET value = value + excluded.value`,
  );
  // One statement for any number of keys: the keys go in as one JSON array.
  const selectMany = db.prepare<[string], { key: string; value: number }>(
    'SELECT key, value FROM counters WHERE key IN (SELECT value FROM json_each(?))',
  );
  return {
    add: (key: string, by: number): void => void add.run({ key, by }),
    /** Values in the order of `keys`, 0 for a key with no row. */
    read(keys: readonly string[]): number[] {
      const found = new Map(selectMany.all(JSON.stringify(keys)).map((row) => [row.key, row.value]));
      return keys.map((k) => found.get(k) ?? 0);
    },
  };
}

export type CounterSql = ReturnType<typeof counterSql>;
