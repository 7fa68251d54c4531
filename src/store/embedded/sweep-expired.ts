import type { Database } from 'better-sqlite3';
import { KV_TABLE } from './sqlite-schema.js';

/** Deletes one batch of expired rows; takes the KV cursor, returns the next one. */
export type ExpirySweep = (now: number, kvCursor: number) => number;

/** How often expired rows nobody reads again are deleted. */
export const SWEEP_INTERVAL_MS = 30_000;

/** Rows looked at per sweep, so one sweep never holds the connection for long. */
const BATCH = 500;

/**
 * Deletes expired rows that nobody reads any more (reads already treat them as
 * absent): a bounded batch of expired atomic keys (found through their expiry
 * index), and the next `BATCH` keyv rows after a cursor whose JSON envelope
 * `{"value":…,"expires":…}` has passed its expiry. The returned function takes
 * the cursor and returns the next one; it wraps to 0 at the end of the table.
 */
export function expirySweep(db: Database): ExpirySweep {
  const atomicKeys = db.prepare<{ now: number }>(
    `DELETE FROM atomic_keys WHERE key IN
       (SELECT key FROM atomic_keys WHERE expires_at <= @now LIMIT ${BATCH})`,
  );
  const window = db.prepare<{ cursor: number }, number | null>(
    `SELECT MAX(rowid) FROM
       (SELECT rowid FROM ${KV_TABLE} WHERE rowid > @cursor ORDER BY rowid LIMIT ${BATCH})`,
  ).pluck();
  const kvRows = db.prepare<{ cursor: number; last: number; now: number }>(
    `DELETE FROM ${KV_TABLE} WHERE rowid > @cursor AND rowid <= @last
       AND json_valid(value) AND json_extract(value, '$.expires') <= @now`,
  );
  return (now, cursor) => {
    atomicKeys.run({ now });
    const last = window.get({ cursor });
    if (typeof last !== 'number') return 0;
    kvRows.run({ cursor, last, now });
    return last;
  };
}
