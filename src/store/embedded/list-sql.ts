import type { Database } from 'better-sqlite3';

/** The list operations as prepared statements; each runs synchronously. */
export function listSql(db: Database) {
  // json_each's `key` is the array index, so seqs continue the list in argument order.
  const append = db.prepare<{ key: string; values: string }>(
    `INSERT INTO list_items (key, seq, value)
       SELECT @key, tail.next + item.key, item.value
       FROM (SELECT COALESCE(MAX(seq) + 1, 0) AS next FROM list_items WHERE key = @key) AS tail,
            json_each(@values) AS item`,
  );
  const deleteHead = db.prepare<{ key: string; count: number }>(
    `DELETE FROM list_items
       WHERE key = @key AND seq < (SELECT MIN(seq) FROM list_items WHERE key = @key) + @count`,
  );
  const bounds = db.prepare<{ key: string }, { head: number | null; last: number | null }>(
    `SELECT (SELECT MIN(seq) FROM list_items WHERE key = @key) AS head,
            (SELECT MAX(seq) FROM list_items WHERE key = @key) AS last`,
  );
  const range = db.prepare<{ key: string; from: number; to: number }, string>(
    'SELECT value FROM list_items WHERE key = @key AND seq BETWEEN @from AND @to ORDER BY seq',
  ).pluck();

  /** First seq of a list, and its length (0 when the key has no items). */
  function listBounds(key: string): { head: number; length: number } {
    const row = bounds.get({ key });
    if (typeof row?.head !== 'number' || typeof row.last !== 'number') return { head: 0, length: 0 };
    return { head: row.head, length: row.last - row.head + 1 };
  }

  return {
    /** Appends values in one statement: they land together or not at all. */
    append(key: string, values: readonly string[]): void {
      if (values.length > 0) append.run({ key, values: JSON.stringify(values) });
    },
    /** Deletes the first `count` items of a list. */
    deleteHead(key: string, count: number): void {
      deleteHead.run({ key, count });
    },
    length: (key: string): number => listBounds(key).length,
    /** Items `start`..`stop` of a list with LRANGE semantics. */
    range(key: string, start: number, stop: number): string[] {
      const { head, length } = listBounds(key);
      // LRANGE semantics: negative indexes count from the end, then clamp to the list.
      const [first, last] = [Math.trunc(start), Math.trunc(stop)];
      const from = Math.max(first < 0 ? length + first : first, 0);
      const to = Math.min(last < 0 ? length + last : last, length - 1);
      if (from > to) return [];
      return range.all({ key, from: head + from, to: head + to });
    },
  };
}

export type ListSql = ReturnType<typeof listSql>;
