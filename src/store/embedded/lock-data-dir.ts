import { randomUUID } from 'node:crypto';
import { realpath, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataDirLockedError, lockedError } from './data-dir-locked-error.js';
import { readLockFile, tryCreateLockFile, type LockFileContent } from './lock-file.js';
import { HEARTBEAT_MS, HALF_WRITTEN_GRACE_MS, MAX_ATTEMPTS, RETRY_DELAY_MS } from './lock-timing.js';
import { describeThisProcess } from './process-identity.js';
import { isOwnerAlive, takeOverLock } from './take-over-lock.js';

export { DataDirLockedError } from './data-dir-locked-error.js';

/** Name of the lock file inside DATA_DIR. */
export const LOCK_FILE_NAME = 'threaddesk.lock';

/** Lock paths held by this process, so a second open in-process is refused too. */
const heldInThisProcess = new Set<string>();

/** An exclusive hold on a data directory. */
export interface DataDirLock {
  /** The data directory, resolved to its real absolute path. */
  readonly dir: string;
  /** Absolute path of the lock file. */
  readonly path: string;
  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): Promise<void>;
}

/**
 * Takes the exclusive lock on `dataDir` (which must exist): creates
 * `threaddesk.lock` with `open(…, 'wx')`, holding this process's PID and host.
 *
 * If the file exists and its owner is alive, refuses with
 * {@link DataDirLockedError}. If the owner is dead (killed with `kill -9`, host
 * rebooted, PID reused by another process, or a foreign host stopped
 * refreshing it), the lock is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const dir = await realpath(dataDir);
  const path = join(dir, LOCK_FILE_NAME);
  if (heldInThisProcess.has(path)) {
    throw new DataDirLockedError(
      dir,
      undefined,
      `DATA_DIR ${dir} is already open in this process (pid ${process.pid}). ` +
        'Close the first store before opening it again, or give the second one its own DATA_DIR.',
    );
  }
  // Claimed synchronously after the check, so two concurrent opens in this process cannot both pass it.
  heldInThisProcess.add(path);
  try {
    return await acquire(dir, path);
  } catch (error) {
    heldInThisProcess.delete(path);
    throw error;
  }
}

async function acquire(dir: string, path: string): Promise<DataDirLock> {
  const content: LockFileContent = { ...describeThisProcess(), token: randomUUID() };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (await tryCreateLockFile(path, content)) return holdLock(dir, path, content.token);
    const found = await readLockFile(path);
    if (found === 'missing') continue;
    if (found.owner === undefined) {
      // Unparseable: either its writer is between open('wx') and write(), or it crashed there.
      if (Date.now() - found.mtimeMs < HALF_WRITTEN_GRACE_MS) {
        await sleep(RETRY_DELAY_MS);
        continue;
      }
    } else if (isOwnerAlive(found.owner, found.mtimeMs)) {
      throw lockedError(dir, found.owner, found.mtimeMs);
    }
    await takeOverLock(path, found.raw);
  }
  throw new DataDirLockedError(
    dir,
    undefined,
    `DATA_DIR ${dir}: could not take the lock ${path}; other processes keep racing for it. ` +
      'Make sure only one threaddesk process uses this DATA_DIR, or set REDIS_URL to run several replicas on shared state.',
  );
}

function holdLock(dir: string, path: string, token: string): DataDirLock {
  // The mtime is the heartbeat other hosts read; unref so it never keeps the process alive.
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  let released = false;
  return {
    dir,
    path,
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      heldInThisProcess.delete(path);
      const found = await readLockFile(path);
      if (found !== 'missing' && found.raw.includes(token)) await unlink(path).catch(() => undefined);
    },
  };
}
