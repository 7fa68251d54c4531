import type { Database } from 'better-sqlite3';

/**
 * The embedded store's SQLite file: one file in DATA_DIR, one better-sqlite3
 * connection. KV values live in the `kv` table as keyv wrote them (see
 * kv-envelope.ts); the atomic keys, lists and sets live in tables of their
 * own beside it, so each of their operations is one indexed statement instead
 * of a JSON blob rewritten per change.
 */

export const SQLITE_FILE_NAME = 'threaddesk.sqlite';

/** The KV table, named and shaped as @keyv/sqlite created it, so existing installs keep their data. */
export const KV_TABLE = 'kv';

/**
 * Durability, on this machine's ext4 disk:
 * - WAL mode: a commit appends to `threaddesk.sqlite-wal`. better-sqlite3's
 *   COMMIT returns after the commit's write() reached the kernel, so a
 *   resolved write survives `kill -9` at any synchronous level (the page cache
 *   outlives the process), and a crash never corrupts the file.
 * - A write resolves only after an fsync of the WAL (wal-sync.ts), so it also
 *   survives a kernel crash or power cut. `synchronous=FULL` would make the
 *   same fsync inside COMMIT, on the main thread: measured here, a commit
 *   then costs 0.2 ms on a quiet machine and 2–3 ms on a busy one, of which
 *   0.05 ms is the COMMIT itself. So SQLite runs with `synchronous=NORMAL`
 *   (it fsyncs only at checkpoints) and the group commit (group-commit.ts)
 *   runs the fsync on the thread pool, one at a time, each covering every
 *   commit made before it started.
 * The default rollback journal would cost about three fsyncs per commit.
 */
const PRAGMAS = ['journal_mode = WAL', 'synchronous = NORMAL'];

/**
 * `expires_at` is epoch ms or NULL (never). Lists are rows keyed by
 * (key, seq): items only ever join at the tail and leave at the head, so a
 * list's seqs are contiguous and MIN/MAX(seq), answered from the primary key,
 * give its bounds and length without a count.
 */
const TABLES = [
  // Exactly @keyv/sqlite's statement (keySize 255): a rowid table, which the KV sweep walks by rowid.
  `CREATE TABLE IF NOT EXISTS ${KV_TABLE}(key VARCHAR(255) PRIMARY KEY, value TEXT )`,
  `CREATE TABLE IF NOT EXISTS atomic_keys (
     key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL, expires_at INTEGER
   ) WITHOUT ROWID`,
  'CREATE INDEX IF NOT EXISTS atomic_keys_by_expiry ON atomic_keys (expires_at)',
  `CREATE TABLE IF NOT EXISTS list_items (
     key TEXT NOT NULL, seq INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (key, seq)
   ) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS set_members (
     key TEXT NOT NULL, member TEXT NOT NULL, PRIMARY KEY (key, member)
   ) WITHOUT ROWID`,
  // Sorted sets: the primary key finds a member, the index serves ranges by score in (score, member) order.
  `CREATE TABLE IF NOT EXISTS sorted_members (
     key TEXT NOT NULL, member TEXT NOT NULL, score REAL NOT NULL, PRIMARY KEY (key, member)
   ) WITHOUT ROWID`,
  'CREATE INDEX IF NOT EXISTS sorted_members_by_score ON sorted_members (key, score, member)',
  // Counters (figures): one integer per key, added to in place.
  `CREATE TABLE IF NOT EXISTS counters (
     key TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL
   ) WITHOUT ROWID`,
];

/**
 * Sets the durability pragmas and creates the store's tables if missing. Every
 * statement is `IF NOT EXISTS`, so a DATA_DIR written by an older version
 * gains the tables it lacks (e.g. `sorted_members`) and keeps its data.
 */
export function prepareSchema(db: Database): void {
  for (const pragma of PRAGMAS) db.pragma(pragma);
  for (const statement of TABLES) db.exec(statement);
}
