import { addDays, instantOf } from '../hours/local-time.js';
import { daysOf, type DateRange } from './stat-range.js';

/** One line of the presence log (core/seats.ts): a seat's presence from `at` on (`disabled` for a disabled seat). */
export interface PresenceChange {
  seat: string;
  presence: string;
  at: number;
}

/**
 * Online coverage per local hour of the day (0–23) over a range of days:
 * for each hour, the share (0–1) of that hour's time, summed over the
 * range's days, in which at least one of `seats` was online. Hours not yet
 * begun at `now` do not count; an hour with no time counted is undefined.
 * `log` is the whole presence log, oldest first, so each seat's state at
 * the range's start is known.
 */
export function coveragePerHour(log: readonly PresenceChange[], seats: ReadonlySet<string>, range: DateRange, timeZone: string, now: number): (number | undefined)[] {
  const online = onlineIntervals(log, seats, now);
  const covered = Array.from({ length: 24 }, () => 0);
  const elapsed = Array.from({ length: 24 }, () => 0);
  for (const date of daysOf(range)) {
    for (let hour = 0; hour < 24; hour++) {
      const start = instantOf(date, hour * 60, timeZone);
      const end = Math.min(now, hour === 23 ? instantOf(addDays(date, 1), 0, timeZone) : instantOf(date, (hour + 1) * 60, timeZone));
      if (end <= start) continue;
      elapsed[hour]! += end - start;
      covered[hour]! += overlap(online, start, end);
    }
  }
  return elapsed.map((e, h) => (e > 0 ? covered[h]! / e : undefined));
}

/** When at least one of `seats` was online: disjoint intervals in time order, the last open until `now`. */
function onlineIntervals(log: readonly PresenceChange[], seats: ReadonlySet<string>, now: number): [number, number][] {
  const current = new Set<string>();
  const out: [number, number][] = [];
  let since: number | undefined;
  for (const change of [...log].sort((a, b) => a.at - b.at)) {
    if (!seats.has(change.seat)) continue;
    const wasCovered = current.size > 0;
    if (change.presence === 'online') current.add(change.seat);
    else current.delete(change.seat);
    if (!wasCovered && current.size > 0) since = change.at;
    if (wasCovered && current.size === 0 && since !== undefined) out.push([since, change.at]);
  }
  if (current.size > 0 && since !== undefined && since < now) out.push([since, now]);
  return out;
}

/** How much of [start, end) the (disjoint, ordered) intervals cover; the first one that matters is found by bisection. */
function overlap(intervals: readonly [number, number][], start: number, end: number): number {
  let lo = 0;
  let hi = intervals.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (intervals[mid]![1] <= start) lo = mid + 1;
    else hi = mid;
  }
  let sum = 0;
  for (let i = lo; i < intervals.length && intervals[i]![0] < end; i++) {
    sum += Math.min(intervals[i]![1], end) - Math.max(intervals[i]![0], start);
  }
  return sum;
}
