import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * CFS period for a limit. A process that spends its quota early in a period
 * waits for the next one: at Linux's default 100 ms that stall alone would
 * fail a 100 ms p99; at 10 ms a replica capped at half a core waits at most
 * ~5 ms. (Kubernetes keeps 100 ms; a desk capped there should expect the
 * longer stalls.)
 */
const PERIOD_US = 10_000;

/** A CPU limit on one process, as a container's: removed with `release` once the process has exited. */
export interface CpuLimit {
  /** Where the limit lives, for the results (`cgroup v2 cpu.max` or `cgroup v1 cpu (cfs quota)`). */
  kind: string;
  release(): void;
}

/**
 * Caps a running process at `cores` of CPU time (0.5: half a core, over
 * every thread it has or starts) through a cgroup of its own, as a container
 * runtime does for a CPU limit (`docker run --cpus`, a Kubernetes
 * `limits.cpu`). Needs write access to the cgroup tree: cgroup v2 with the
 * `cpu` controller at /sys/fs/cgroup, or v1's `cpu` hierarchy at
 * /sys/fs/cgroup/cpu. Throws, saying so, when neither is there.
 */
export function limitCpu(pid: number, cores: number, name: string): CpuLimit {
  if (!(cores > 0)) throw new Error(`a CPU limit must be above 0 cores; got ${cores}`);
  const quota = Math.round(cores * PERIOD_US);
  const v2 = '/sys/fs/cgroup';
  if (existsSync(join(v2, 'cgroup.controllers')) && readFileSync(join(v2, 'cgroup.controllers'), 'utf8').split(/\s+/).includes('cpu')) {
    const dir = join(v2, name);
    inNewGroup(dir, () => {
      writeFileSync(join(dir, 'cpu.max'), `${quota} ${PERIOD_US}`);
      writeFileSync(join(dir, 'cgroup.procs'), String(pid));
    });
    return { kind: 'cgroup v2 cpu.max', release: () => removeGroup(dir) };
  }
  const v1 = '/sys/fs/cgroup/cpu';
  if (existsSync(join(v1, 'cpu.cfs_quota_us'))) {
    const dir = join(v1, name);
    inNewGroup(dir, () => {
      writeFileSync(join(dir, 'cpu.cfs_period_us'), String(PERIOD_US));
      writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(quota));
      // cgroup.procs moves every thread of the process, and the threads it starts later stay in.
      writeFileSync(join(dir, 'cgroup.procs'), String(pid));
    });
    return { kind: 'cgroup v1 cpu (cfs quota)', release: () => removeGroup(dir) };
  }
  throw new Error('cannot limit a process\'s CPU here: no writable cgroup cpu controller (v2 at /sys/fs/cgroup with "cpu" in cgroup.controllers, or v1 at /sys/fs/cgroup/cpu); run it as root on Linux (the replicas case without a limit needs none of this)');
}

/** Creates the group and sets it up; a group left half set up (a write refused) is removed again. */
function inNewGroup(dir: string, setUp: () => void): void {
  mkdirSync(dir);
  try {
    setUp();
  } catch (err) {
    removeGroup(dir);
    throw err;
  }
}

/** A cgroup can be removed once it holds no process; the bot has exited by now. Best effort: a leftover empty group limits nothing. */
function removeGroup(dir: string): void {
  try {
    rmdirSync(dir);
  } catch { /* still draining, or gone */ }
}
