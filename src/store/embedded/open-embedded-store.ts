import { join } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import { EmbeddedStore } from './embedded-store.js';
import { lockDataDir } from './lock-data-dir.js';
import { KV_TABLE, prepareSchema, SQLITE_FILE_NAME, type SqlQuery } from './sqlite-schema.js';

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
  let sqlite: KeyvSqlite | undefined;
  try {
    sqlite = new KeyvSqlite({ uri: `sqlite://${join(lock.dir, SQLITE_FILE_NAME)}`, table: KV_TABLE });
    // Connection errors also reject every query; the listener keeps the emitter from throwing.
    sqlite.on('error', () => undefined);
    const query = sqlite.query as SqlQuery;
    await prepareSchema(query);
    // Short locks (`lock:…`, see core/lock.ts) belong to the process that took them. The DATA_DIR
    // lock says no other process has this store, so any found now were left by one that died:
    // freeing them lets a redelivery after a crash proceed at once instead of waiting out their TTL.
    await query("DELETE FROM atomic_keys WHERE key >= 'lock:' AND key < 'lock;'");
    const keyv = new Keyv({ store: sqlite, namespace: 'kv', throwOnErrors: true });
    return new EmbeddedStore(keyv, query, lock);
  } catch (error) {
    await sqlite?.disconnect().catch(() => undefined);
    await lock.release();
    throw error;
  }
}
