/**
 * The embedded store's SQLite file: one file in DATA_DIR, one connection
 * (the one @keyv/sqlite opens). keyv owns the `kv` table; the atomic keys,
 * lists and sets live in tables of their own beside it, so each of their
 * operations is one indexed statement instead of a JSON blob rewritten per
 * change.
 */

/** Runs one SQL statement and resolves with its rows (`@keyv/sqlite`'s `query`). */
export type SqlQuery = (sql: string, ...params: unknown[]) => Promise<Record<string, unknown>[]>;

export const SQLITE_FILE_NAME = 'threaddesk.sqlite';

/** keyv's table (created by @keyv/sqlite with `key VARCHAR PRIMARY KEY, value TEXT`). */
export const KV_TABLE = 'kv';

/**
 * Durability, measured with sqlite3 5.1.7 (SQLite 3.44.2) on this machine's
 * ext4 disk:
 * - WAL mode: a commit appends to `threaddesk.sqlite-wal`. sqlite3 only calls
 *   back after the commit's write() reached the kernel, so a resolved write
 *   survives `kill -9` at any synchronous level (the page cache outlives the
 *   process), and a crash never corrupts the file.
 * - `synchronous=FULL` additionally fsyncs the WAL on every commit, so a
 *   resolved write also survives a kernel crash or power cut. Cost: about
 *   0.5 ms p50 / 0.8 ms p99 per write, against 0.13 ms with NORMAL, which only
 *   fsyncs at checkpoints. At ~10 store ops per webhook that stays far inside
 *   the 25 ms p99 budget, so we pay for the stronger guarantee.
 * The default rollback journal would cost about three fsyncs per commit.
 */
const PRAGMAS = ['PRAGMA journal_mode = WAL', 'PRAGMA synchronous = FULL'];

/**
 * `expires_at` is epoch ms or NULL (never). Lists are rows keyed by
 * (key, seq): items only ever join at the tail and leave at the head, so a
 * list's seqs are contiguous and MIN/MAX(seq), answered from the primary key,
 * give its bounds and length without a count.
 */
const TABLES = [
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
];

/** Sets the durability pragmas and creates the store's own tables if missing. */
export async function prepareSchema(query: SqlQuery): Promise<void> {
  for (const statement of [...PRAGMAS, ...TABLES]) await query(statement);
}
