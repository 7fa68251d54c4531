import { open, stat, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { readLockFile } from './lock-file.js';
import { isOnThisHost, isProcessAlive, type ProcessIdentity } from './process-identity.js';
import { FOREIGN_HOST_STALE_MS, HALF_WRITTEN_GRACE_MS, RETRY_DELAY_MS } from './lock-timing.js';

/** Whether the process that wrote a lock file (last touched at `mtimeMs`) still runs. */
export function isOwnerAlive(owner: ProcessIdentity, mtimeMs: number): boolean {
  if (!isOnThisHost(owner)) return Date.now() - mtimeMs < FOREIGN_HOST_STALE_MS;
  // Our own PID in a file we do not hold: a previous run that got the same PID
  // (PID 1 in a restarted container). Locks we hold were refused by lockDataDir.
  if (owner.pid === process.pid) return false;
  return isProcessAlive(owner);
}

/**
 * Deletes a dead owner's lock file, but only if it still holds what we read:
 * two processes taking over at once must not delete each other's fresh lock.
 * A `.takeover` file created with 'wx' makes the read-compare-delete exclusive.
 */
export async function takeOverLock(path: string, staleRaw: string): Promise<void> {
  const guardPath = `${path}.takeover`;
  let guard;
  try {
    guard = await open(guardPath, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Someone else is taking over; a guard left by a crash is cleared after the grace period.
    const info = await stat(guardPath).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > HALF_WRITTEN_GRACE_MS) await unlink(guardPath).catch(() => undefined);
    await sleep(RETRY_DELAY_MS);
    return;
  }
  try {
    const current = await readLockFile(path);
    if (current !== 'missing' && current.raw === staleRaw) await unlink(path);
  } finally {
    await guard.close();
    await unlink(guardPath).catch(() => undefined);
  }
}
