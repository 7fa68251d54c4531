import { randomUUID } from 'node:crypto';
import { open, readFile, realpath, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  describeThisProcess,
  isOnThisHost,
  isProcessAlive,
  type ProcessIdentity,
} from './process-identity.js';

/** Name of the lock file inside DATA_DIR. */
export const LOCK_FILE_NAME = 'threaddesk.lock';

/**
 * How often the owner touches the lock file, and after how long without a
 * touch a lock written on another host counts as abandoned. PIDs can only be
 * checked on the host that wrote them; for a directory shared between hosts
 * (a network volume, a container recreated with a new hostname) the file's
 * age is the only sign of life.
 */
const HEARTBEAT_MS = 10_000;
const FOREIGN_HOST_STALE_MS = 30_000;

/** A lock file that is still empty this long after creation was left by a crash mid-write. */
const HALF_WRITTEN_GRACE_MS = 2_000;
const MAX_ATTEMPTS = 100;
const RETRY_DELAY_MS = 25;

/** Lock paths held by this process, so a second open in-process is refused too. */
const heldInThisProcess = new Set<string>();

/**
 * Another process (or this one) already owns DATA_DIR. The message tells the
 * operator what is wrong and what to do about it.
 */
export class DataDirLockedError extends Error {
  readonly code = 'data_dir_locked';

  constructor(
    readonly dataDir: string,
    readonly owner: ProcessIdentity | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'DataDirLockedError';
  }
}

/** An exclusive hold on a data directory. */
export interface DataDirLock {
  /** The data directory, resolved to its real absolute path. */
  readonly dir: string;
  /** Absolute path of the lock file. */
  readonly path: string;
  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): Promise<void>;
}

interface LockFileContent extends ProcessIdentity {
  /** Random per-lock token: release only deletes a file that still carries it. */
  token: string;
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
    if (await tryCreate(path, content)) return holdLock(dir, path, content.token);
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
    await takeOver(path, found.raw);
  }
  throw new DataDirLockedError(
    dir,
    undefined,
    `DATA_DIR ${dir}: could not take the lock ${path}; other processes keep racing for it. ` +
      'Make sure only one threaddesk process uses this DATA_DIR, or set REDIS_URL to run several replicas on shared state.',
  );
}

async function tryCreate(path: string, content: LockFileContent): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(`${JSON.stringify(content)}\n`);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(path).catch(() => undefined);
    throw error;
  }
  await handle.close();
  return true;
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

interface FoundLock {
  raw: string;
  owner: ProcessIdentity | undefined;
  mtimeMs: number;
}

async function readLockFile(path: string): Promise<FoundLock | 'missing'> {
  try {
    const [raw, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { raw, owner: parseOwner(raw), mtimeMs: info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
}

function parseOwner(raw: string): ProcessIdentity | undefined {
  try {
    const parsed = JSON.parse(raw) as Partial<ProcessIdentity>;
    if (typeof parsed.pid !== 'number' || typeof parsed.hostname !== 'string') return undefined;
    return { startedAt: 'at an unknown time', ...parsed } as ProcessIdentity;
  } catch {
    return undefined;
  }
}

function isOwnerAlive(owner: ProcessIdentity, mtimeMs: number): boolean {
  if (!isOnThisHost(owner)) return Date.now() - mtimeMs < FOREIGN_HOST_STALE_MS;
  // Our own PID in a file we do not hold: a previous run that got the same PID
  // (PID 1 in a restarted container). Locks we hold were refused above.
  if (owner.pid === process.pid) return false;
  return isProcessAlive(owner);
}

/**
 * Deletes a dead owner's lock file, but only if it still holds what we read:
 * two processes taking over at once must not delete each other's fresh lock.
 * A `.takeover` file created with 'wx' makes the read-compare-delete exclusive.
 */
async function takeOver(path: string, staleRaw: string): Promise<void> {
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

function lockedError(dir: string, owner: ProcessIdentity, mtimeMs: number): DataDirLockedError {
  const remedy =
    'Stop that process, or give this one its own DATA_DIR, or set REDIS_URL to run several replicas on shared state.';
  if (isOnThisHost(owner)) {
    return new DataDirLockedError(
      dir,
      owner,
      `DATA_DIR ${dir} is in use by process ${owner.pid} (started ${owner.startedAt}). ${remedy}`,
    );
  }
  const ageSeconds = Math.round((Date.now() - mtimeMs) / 1000);
  return new DataDirLockedError(
    dir,
    owner,
    `DATA_DIR ${dir} is in use by process ${owner.pid} on host ${owner.hostname} ` +
      `(started ${owner.startedAt}, alive ${ageSeconds} s ago). ${remedy} ` +
      `If that host is gone, the lock counts as abandoned ${FOREIGN_HOST_STALE_MS / 1000} s after its last sign of life.`,
  );
}
