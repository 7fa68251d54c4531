import { closeSync, fsync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/** The fsync of the SQLite file's WAL, run on libuv's thread pool instead of the main thread. */
export interface WalSync {
  /** Makes every COMMIT that returned before this call durable. */
  sync(): Promise<void>;
  close(): void;
}

/**
 * Opens the WAL of `dbFile` (SQLite keeps it as `<file>-wal` while a
 * connection in WAL mode is open, and writes commits to it in place, so one
 * descriptor stays valid until the connection closes). On Linux an fsync
 * through any descriptor of a file flushes all of the file's dirty pages, so
 * this one makes the commits SQLite wrote through its own durable.
 *
 * The directory is synced once here, so the WAL's own entry survives a power
 * cut too.
 */
export function openWalSync(dbFile: string): WalSync {
  const fd = openSync(`${dbFile}-wal`, 'r');
  try {
    const dir = openSync(dirname(dbFile), 'r');
    try { fsyncSync(dir); } finally { closeSync(dir); }
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  let closed = false;
  return {
    sync: () => new Promise<void>((resolve, reject) => {
      if (closed) { reject(new Error('the store is closed')); return; }
      fsync(fd, (error) => (error ? reject(error) : resolve()));
    }),
    close() {
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
}
