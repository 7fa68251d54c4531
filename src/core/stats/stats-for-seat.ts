import type { Seat } from '../model.js';
import type { QueueRoute } from '../queue-router.js';
import { can } from '../permissions.js';
import { ownValue } from '../own-property.js';
import { fail, ok, type Result } from '../result.js';
import { readStats, type DepartmentStats, type StatsReadPorts } from './read-stats.js';
import { checkedRange, rangeOf, type DateRange } from './stat-range.js';

/** What answering `/stats` and the API needs: the reads, the queues, and each department's time zone. */
export interface StatsPortsForRead extends StatsReadPorts {
  queues: Readonly<Record<string, QueueRoute>>;
  zoneOf: (department: string) => string;
}

/**
 * `/stats [period] [queue]` (SPEC §7): the figures of every department the
 * seat may see figures of (`stats.view` there; admins: all), or of one
 * queue's (`unknown_queue`, `outside_department`). Each department's period
 * is read in its own time zone, so `today` is today there.
 */
export async function statsForSeat(d: StatsPortsForRead, seat: Seat, period: string | undefined, queue?: string): Promise<Result<DepartmentStats[]>> {
  let routes: QueueRoute[];
  if (queue !== undefined) {
    const route = ownValue(d.queues, queue);
    if (!route) return fail('unknown_queue', { queue });
    if (!can(seat, 'stats.view', { department: route.department })) return fail('outside_department', { department: route.department });
    routes = [route];
  } else {
    routes = Object.values(d.queues).filter((r) => can(seat, 'stats.view', { department: r.department }));
  }
  const now = d.clock.now();
  const out: DepartmentStats[] = [];
  for (const [department, names] of byDepartment(routes)) {
    const timeZone = d.zoneOf(department);
    const range = rangeOf(period, now, timeZone);
    if (!range.ok) return range;
    out.push(await readStats(d, { department, timeZone, range: range.value, queues: names, coverage: true }));
  }
  return ok(out);
}

/**
 * `GET /api/stats?from=…&to=…`: every department's figures over the same
 * local dates (each in its own time zone), without coverage.
 */
export async function statsForRange(d: StatsPortsForRead, from: string, to: string): Promise<Result<DepartmentStats[]>> {
  const range = checkedRange(from, to);
  if (!range.ok) return range;
  const out: DepartmentStats[] = [];
  for (const [department, names] of byDepartment(Object.values(d.queues))) {
    out.push(await readStats(d, { department, timeZone: d.zoneOf(department), range: range.value, queues: names }));
  }
  return ok(out);
}

/** The figures of one department over given dates (the weekly digest). */
export function statsOfDepartment(d: StatsPortsForRead, department: string, range: DateRange): Promise<DepartmentStats> {
  const names = Object.values(d.queues).filter((r) => r.department === department).map((r) => r.name).sort();
  return readStats(d, { department, timeZone: d.zoneOf(department), range, queues: names, coverage: true });
}

/** Queue names by department, both in name order. */
function byDepartment(routes: readonly QueueRoute[]): [string, string[]][] {
  const map = new Map<string, string[]>();
  for (const r of [...routes].sort((a, b) => a.name.localeCompare(b.name))) map.set(r.department, [...(map.get(r.department) ?? []), r.name]);
  return [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
}
