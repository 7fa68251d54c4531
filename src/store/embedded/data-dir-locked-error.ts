import { FOREIGN_HOST_STALE_MS } from './lock-timing.js';
import { isOnThisHost, type ProcessIdentity } from './process-identity.js';

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

/** The refusal for a live owner, naming it and, on another host, when it was last seen. */
export function lockedError(dir: string, owner: ProcessIdentity, mtimeMs: number): DataDirLockedError {
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
