import type { SqlQuery } from './sqlite-schema.js';

/**
 * Appends values to a list in one statement: they land together or not at all.
 * json_each's `key` is the array index, so seqs continue the list in argument order.
 */
export async function appendItems(query: SqlQuery, key: string, values: readonly string[]): Promise<void> {
  if (values.length === 0) return;
  await query(
    `INSERT INTO list_items (key, seq, value)
       SELECT ?1, tail.next + item.key, item.value
       FROM (SELECT COALESCE(MAX(seq) + 1, 0) AS next FROM list_items WHERE key = ?1) AS tail,
            json_each(?2) AS item`,
    key,
    JSON.stringify(values),
  );
}

/** Deletes the first `count` items of a list. */
export async function deleteHead(query: SqlQuery, key: string, count: number): Promise<void> {
  await query(
    `DELETE FROM list_items
       WHERE key = ?1 AND seq < (SELECT MIN(seq) FROM list_items WHERE key = ?1) + ?2`,
    key,
    count,
  );
}

/** First seq of a list, and its length (0 when the key has no items). */
export async function listBounds(query: SqlQuery, key: string): Promise<{ head: number; length: number }> {
  const [row] = await query(
    `SELECT (SELECT MIN(seq) FROM list_items WHERE key = ?1) AS head,
              (SELECT MAX(seq) FROM list_items WHERE key = ?1) AS last`,
    key,
  );
  const head = row?.['head'];
  const last = row?.['last'];
  if (typeof head !== 'number' || typeof last !== 'number') return { head: 0, length: 0 };
  return { head, length: last - head + 1 };
}

/** Items `start`..`stop` of a list with LRANGE semantics. */
export async function readRange(query: SqlQuery, key: string, start: number, stop: number): Promise<string[]> {
  const { head, length } = await listBounds(query, key);
  // LRANGE semantics: negative indexes count from the end, then clamp to the list.
  const [first, last] = [Math.trunc(start), Math.trunc(stop)];
  const from = Math.max(first < 0 ? length + first : first, 0);
  const to = Math.min(last < 0 ? length + last : last, length - 1);
  if (from > to) return [];
  const rows = await query(
    'SELECT value FROM list_items WHERE key = ?1 AND seq BETWEEN ?2 AND ?3 ORDER BY seq',
    key,
    head + from,
    head + to,
  );
  return rows.map((row) => row['value'] as string);
}
