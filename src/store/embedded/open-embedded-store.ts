import { join } from 'node:path';
import Database from 'better-sqlite3';
import { atomicKeySql } from './atomic-key-sql.js';
import { EmbeddedStore } from './embedded-store.js';
import { lockDataDir } from './lock-data-dir.js';
import { prepareSchema, SQLITE_FILE_NAME } from './sqlite-schema.js';
import { openWalSync } from './wal-sync.js';

/**
 * Opens the embedded store in `dataDir` (which must exist): takes the
 * directory lock first, so a second process fails before touching the SQLite
 * file, then opens `threaddesk.sqlite` and prepares its schema.
 *
 * @throws DataDirLockedError (`code: 'data_dir_locked'`) when another process
 *   holds the directory.
 */
export async function openEmbeddedStore(dataDir: string): Promise<EmbeddedStore> {
  const lock = await lockDataDir(dataDir);
  let db: Database.Database | undefined;
  try {
    const file = join(lock.dir, SQLITE_FILE_NAME);
    db = new Database(file);
    prepareSchema(db);
    // Short locks (`lock:…`, see core/lock.ts) belong to the process that took them. The DATA_DIR
    // lock says no other process has this store, so any found now were left by one that died:
    // freeing them lets a redelivery after a crash proceed at once instead of waiting out their TTL.
    atomicKeySql(db).deleteAllLocks();
    // The schema step has opened the WAL (a new file's first write creates it).
    return new EmbeddedStore(db, lock, openWalSync(file));
  } catch (error) {
    db?.close();
    await lock.release();
    throw error;
  }
}
