import type { SqlQuery } from './sqlite-schema.js';

/** Upsert of one atomic key; `expiresAt` null means no expiry. */
const UPSERT_ATOMIC_KEY = `INSERT INTO atomic_keys (key, value, expires_at) VALUES (?1, ?2, ?3)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`;

/** Writes `key` unless a live holder has it; true when written. */
export async function insertKeyIfAbsent(query: SqlQuery, key: string, value: string, expiresAt: number | null, now: number): Promise<boolean> {
  // An expired holder counts as absent, so the upsert may replace it; a live one is left alone.
  const rows = await query(
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

/** The live value of `key`, or undefined when absent or expired at `now`. */
export async function selectKey(query: SqlQuery, key: string, now: number): Promise<string | undefined> {
  const rows = await query(
    'SELECT value FROM atomic_keys WHERE key = ?1 AND (expires_at IS NULL OR expires_at > ?2)',
    key,
    now,
  );
  return rows[0]?.['value'] as string | undefined;
}

/** Writes `key` whatever it held. */
export async function upsertKey(query: SqlQuery, key: string, value: string, expiresAt: number | null): Promise<void> {
  await query(UPSERT_ATOMIC_KEY, key, value, expiresAt);
}

/** Deletes `key` when it still holds `expected`; true when deleted. */
export async function deleteKeyIfEquals(query: SqlQuery, key: string, expected: string, now: number): Promise<boolean> {
  const rows = await query(
    `DELETE FROM atomic_keys WHERE key = ?1 AND value = ?2 AND (expires_at IS NULL OR expires_at > ?3)
       RETURNING key`,
    key,
    expected,
    now,
  );
  return rows.length === 1;
}

/** Replaces `expected` with `next`; a null `expiresAt` keeps the key's expiry (Redis `SET … KEEPTTL`). */
export async function updateKeyIfEquals(
  query: SqlQuery,
  key: string,
  expected: string,
  next: string,
  expiresAt: number | null,
  now: number,
): Promise<boolean> {
  const rows = await query(
    `UPDATE atomic_keys SET value = ?3, expires_at = CASE WHEN ?4 IS NULL THEN expires_at ELSE ?4 END
       WHERE key = ?1 AND value = ?2 AND (expires_at IS NULL OR expires_at > ?5)
       RETURNING key`,
    key,
    expected,
    next,
    expiresAt,
    now,
  );
  return rows.length === 1;
}
