import type { Database } from 'better-sqlite3';

/** An atomic key's write; `expiresAt` is epoch ms, null for never (or, in compareAndSet, "keep"). */
interface KeyWrite {
  key: string;
  value: string;
  expiresAt: number | null;
}

/** The atomic-key operations as prepared statements; each is one statement, run synchronously. */
export function atomicKeySql(db: Database) {
  // An expired holder counts as absent, so the upsert may replace it; a live one is left alone.
  const insertIfAbsent = db.prepare<KeyWrite & { now: number }, string>(
    `INSERT INTO atomic_keys (key, value, expires_at) VALUES (@key, @value, @expiresAt)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
         WHERE atomic_keys.expires_at IS NOT NULL AND atomic_keys.expires_at <= @now
       RETURNING key`,
  ).pluck();
  const select = db.prepare<[string, number], string>(
    'SELECT value FROM atomic_keys WHERE key = ? AND (expires_at IS NULL OR expires_at > ?)',
  ).pluck();
  const upsert = db.prepare<KeyWrite>(
    `INSERT INTO atomic_keys (key, value, expires_at) VALUES (@key, @value, @expiresAt)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
  );
  const deleteIfEquals = db.prepare<{ key: string; expected: string; now: number }>(
    `DELETE FROM atomic_keys WHERE key = @key AND value = @expected AND (expires_at IS NULL OR expires_at > @now)`,
  );
  // A null expiry keeps the key's own (Redis `SET … KEEPTTL`).
  const updateIfEquals = db.prepare<KeyWrite & { expected: string; now: number }>(
    `UPDATE atomic_keys SET value = @value, expires_at = COALESCE(@expiresAt, expires_at)
       WHERE key = @key AND value = @expected AND (expires_at IS NULL OR expires_at > @now)`,
  );
  const remove = db.prepare<[string]>('DELETE FROM atomic_keys WHERE key = ?');
  // Short locks (`lock:…`, see core/lock.ts): the range covers exactly the keys starting with `lock:`.
  const removeLocks = db.prepare("DELETE FROM atomic_keys WHERE key >= 'lock:' AND key < 'lock;'");

  return {
    /** Writes `key` unless a live holder has it; true when written. */
    insertIfAbsent: (write: KeyWrite, now: number): boolean => insertIfAbsent.get({ ...write, now }) !== undefined,
    /** The live value of `key`, or undefined when absent or expired at `now`. */
    select: (key: string, now: number): string | undefined => select.get(key, now),
    /** Writes `key` whatever it held. */
    upsert: (write: KeyWrite): void => void upsert.run(write),
    /** Deletes `key` when it still holds `expected`; true when deleted. */
    deleteIfEquals: (key: string, expected: string, now: number): boolean =>
      deleteIfEquals.run({ key, expected, now }).changes === 1,
    /** Replaces `expected` with `value`; true when replaced. */
    updateIfEquals: (write: KeyWrite, expected: string, now: number): boolean =>
      updateIfEquals.run({ ...write, expected, now }).changes === 1,
    delete: (key: string): void => void remove.run(key),
    deleteAllLocks: (): void => void removeLocks.run(),
  };
}

export type AtomicKeySql = ReturnType<typeof atomicKeySql>;
