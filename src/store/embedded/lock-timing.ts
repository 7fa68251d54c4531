/**
 * How often the owner touches the lock file, and after how long without a
 * touch a lock written on another host counts as abandoned. PIDs can only be
 * checked on the host that wrote them; for a directory shared between hosts
 * (a network volume, a container recreated with a new hostname) the file's
 * age is the only sign of life.
 */
export const HEARTBEAT_MS = 10_000;
export const FOREIGN_HOST_STALE_MS = 30_000;

/** A lock file that is still empty this long after creation was left by a crash mid-write. */
export const HALF_WRITTEN_GRACE_MS = 2_000;
/** How many times `lockDataDir` races for the file before giving up. */
export const MAX_ATTEMPTS = 100;
/** Pause before retrying while another process is mid-write or mid-takeover. */
export const RETRY_DELAY_MS = 25;
