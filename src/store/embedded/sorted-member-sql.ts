import type { Database } from 'better-sqlite3';

/** A sorted-set member with its score, as range queries return it. */
export interface ScoredMember {
  member: string;
  score: number;
}

/**
 * The sorted-set operations as prepared statements; each is one statement, run
 * synchronously. Members compare with SQLite's BINARY collation (memcmp of
 * UTF-8), the same byte order Redis uses for equal scores.
 */
export function sortedMemberSql(db: Database) {
  const upsert = db.prepare<{ key: string; member: string; score: number }>(
    `INSERT INTO sorted_members (key, member, score) VALUES (@key, @member, @score)
       ON CONFLICT (key, member) DO UPDATE SET score = excluded.score`,
  );
  const remove = db.prepare<[string, string]>('DELETE FROM sorted_members WHERE key = ? AND member = ?');
  const score = db.prepare<[string, string], number>('SELECT score FROM sorted_members WHERE key = ? AND member = ?').pluck();
  // SQLite binds ±Infinity as REAL, which compares like Redis `-inf`/`+inf`; LIMIT -1 means no limit.
  const range = db.prepare<{ key: string; min: number; max: number; limit: number }, ScoredMember>(
    `SELECT member, score FROM sorted_members
       WHERE key = @key AND score BETWEEN @min AND @max
       ORDER BY score, member LIMIT @limit`,
  );
  const count = db.prepare<[string], number>('SELECT COUNT(*) FROM sorted_members WHERE key = ?').pluck();

  return {
    /** Adds `member` with `score`, or moves it there. */
    upsert: (key: string, member: string, score: number): void => void upsert.run({ key, member, score }),
    /** Removes `member`; true when it was there. */
    remove: (key: string, member: string): boolean => remove.run(key, member).changes === 1,
    score: (key: string, member: string): number | undefined => score.get(key, member),
    /** Members with min <= score <= max, by score then member, at most `limit` (undefined: all). */
    range: (key: string, min: number, max: number, limit: number | undefined): ScoredMember[] =>
      range.all({ key, min, max, limit: limit ?? -1 }),
    count: (key: string): number => count.get(key) ?? 0,
  };
}

export type SortedMemberSql = ReturnType<typeof sortedMemberSql>;
