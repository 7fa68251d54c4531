import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second that /proc/<pid>/stat counts in (`getconf CLK_TCK`, 100 on Linux nearly always). */
export function clockTicksPerSecond(): number {
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
}

/**
 * CPU a process has used, user + system, in clock ticks: fields 14 and 15 of
 * /proc/<pid>/stat. The command name (field 2) is in parentheses and may hold
 * spaces, so fields are counted from the last ')'.
 */
export function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After ')' the fields start at 3 (state), so utime (14) is index 11 and stime (15) index 12.
  return Number(fields[11]) + Number(fields[12]);
}

/** Resident set size of a process in MiB (VmRSS of /proc/<pid>/status), or null when it is gone. */
export function rssMiB(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Math.round((Number(kb) / 1024) * 10) / 10;
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `everyMs` and keeps the peak. */
export function sampleRss(pid: number, everyMs = 200): { stop(): { peakMiB: number | null; lastMiB: number | null; samples: number } } {
  let peak: number | null = null;
  let last: number | null = null;
  let samples = 0;
  const take = () => {
    last = rssMiB(pid);
    if (last === null) return;
    samples += 1;
    if (peak === null || last > peak) peak = last;
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { peakMiB: peak, lastMiB: last, samples };
    },
  };
}

/**
 * The whole machine's CPU counters from /proc/stat (the `cpu` line, in clock
 * ticks over all cores): `busy` is everything but idle and iowait.
 */
export function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const t = line.trim().split(/\s+/).slice(1).map(Number);
  const total = t.reduce((a, b) => a + b, 0);
  // user nice system idle iowait irq softirq steal …: idle and iowait are not busy.
  return { busy: total - (t[3] ?? 0) - (t[4] ?? 0), total };
}

/** The local redis-server's pid (the bench's REDIS_URL is on this machine), or null when there is none. */
export function redisServerPid(): number | null {
  try {
    const pid = Number(execFileSync('pidof', ['-s', 'redis-server'], { encoding: 'utf8' }).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
