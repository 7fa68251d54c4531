import { KV_TABLE, type SqlQuery } from './sqlite-schema.js';

/** Rows looked at per sweep, so one sweep never holds the connection for long. */
const BATCH = 500;

/**
 * Deletes expired rows that nobody reads any more (reads already treat them as
 * absent): a bounded batch of expired atomic keys (found through their expiry
 * index), and the next `BATCH` keyv rows after `kvCursor` whose JSON envelope
 * `{"value":…,"expires":…}` has passed its expiry. Returns the cursor for the
 * next call; it wraps to 0 at the end of the table.
 */
export async function sweepExpired(query: SqlQuery, now: number, kvCursor: number): Promise<number> {
  await query(
    `DELETE FROM atomic_keys WHERE key IN
       (SELECT key FROM atomic_keys WHERE expires_at <= ?1 LIMIT ${BATCH})`,
    now,
  );
  const [window] = await query(
    `SELECT MAX(rowid) AS last FROM
       (SELECT rowid FROM ${KV_TABLE} WHERE rowid > ?1 ORDER BY rowid LIMIT ${BATCH})`,
    kvCursor,
  );
  const last = window?.['last'];
  if (typeof last !== 'number') return 0;
  await query(
    `DELETE FROM ${KV_TABLE} WHERE rowid > ?1 AND rowid <= ?2
       AND json_valid(value) AND json_extract(value, '$.expires') <= ?3`,
    kvCursor,
    last,
    now,
  );
  return last;
}
