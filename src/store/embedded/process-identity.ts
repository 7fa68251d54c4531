import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Who holds a data-directory lock, as written into the lock file. The Linux
 * fields (`bootId`, `startTicks`) let a later process tell a live owner from a
 * dead one whose PID has been reused, which happens for real: a container's
 * main process is PID 1 on every restart.
 */
export interface ProcessIdentity {
  pid: number;
  hostname: string;
  /** ISO time the lock was taken, shown to the operator. */
  startedAt: string;
  /** `/proc/sys/kernel/random/boot_id`: changes on every reboot. */
  bootId?: string;
  /** Field 22 of `/proc/<pid>/stat`: the process start time in clock ticks since boot. */
  startTicks?: string;
}

/** Describes the current process for a lock file. */
export function describeThisProcess(): ProcessIdentity {
  const identity: ProcessIdentity = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
  };
  const bootId = readBootId();
  const startTicks = readStartTicks(process.pid);
  if (bootId !== undefined) identity.bootId = bootId;
  if (startTicks !== undefined) identity.startTicks = startTicks;
  return identity;
}

/** True when `owner` ran on this host (same hostname). */
export function isOnThisHost(owner: ProcessIdentity): boolean {
  return owner.hostname === hostname();
}

/**
 * Whether the process described by `owner` (on this host) is still running.
 * A PID that exists but started at another time, or a lock written before the
 * last reboot, is a different process: the owner is dead.
 */
export function isProcessAlive(owner: ProcessIdentity): boolean {
  const bootId = readBootId();
  if (owner.bootId !== undefined && bootId !== undefined && owner.bootId !== bootId) return false;
  if (!pidExists(owner.pid)) return false;
  if (owner.startTicks === undefined) return true;
  const startTicks = readStartTicks(owner.pid);
  return startTicks === undefined || startTicks === owner.startTicks;
}

function pidExists(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    // Signal 0 checks existence without sending anything.
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function readStartTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may itself contain spaces
    // or parentheses, so count fields from the last ')': field 3 comes next.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[22 - 3];
  } catch {
    return undefined;
  }
}
