import { open, readFile, stat, unlink } from 'node:fs/promises';
import type { ProcessIdentity } from './process-identity.js';

/** What a lock file holds. */
export interface LockFileContent extends ProcessIdentity {
  /** Random per-lock token: release only deletes a file that still carries it. */
  token: string;
}

/** A lock file as read from disk; `owner` is undefined when it does not parse. */
export interface FoundLock {
  raw: string;
  owner: ProcessIdentity | undefined;
  mtimeMs: number;
}

/** Creates the lock file with `open(…, 'wx')`; false when it already exists. */
export async function tryCreateLockFile(path: string, content: LockFileContent): Promise<boolean> {
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

/** Reads the lock file and its mtime, or 'missing' when there is none. */
export async function readLockFile(path: string): Promise<FoundLock | 'missing'> {
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
