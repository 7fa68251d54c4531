import type { Seat } from '../model.js';
import type { Clock, StorePort } from '../ports.js';
import { keys } from '../keys.js';
import { BUCKET_COUNT, percentileOf } from './response-buckets.js';
import { coveragePerHour, type PresenceChange } from './coverage.js';
import { daysOf, type DateRange } from './stat-range.js';
import { QUEUE_COUNTERS, SEAT_COUNTERS, statsKeys, type QueueCounter, type SeatCounter } from './stats-keys.js';

/** One queue's figures over a range (or the total line of several queues: `queue` undefined). */
export interface QueueFigures {
  queue?: string;
  opened: number;
  closed: number;
  /** Now, not over the range: open conversations, those waiting unclaimed, and those open past an SLA. */
  open: number;
  waiting: number;
  overdue: number;
  /** First responses in the range and their p50/p90 (ms, bucket upper bounds: response-buckets.ts); undefined with none. */
  firstResponses: number;
  firstResponseP50Ms?: number;
  firstResponseP90Ms?: number;
  /** Mean time from a customer's oldest unanswered message to the agent's reply (ms); undefined with no reply. */
  avgResponseMs?: number;
  transfers: number;
  breaches: number;
}

/** One seat's figures in the queues asked for, over the range. */
export interface SeatFigures {
  seat: string;
  name: string;
  handled: number;
  transfers: number;
  breaches: number;
}

/** A department's figures: its days, per queue with a total line, per seat, and online coverage per local hour. */
export interface DepartmentStats {
  department: string;
  timeZone: string;
  range: DateRange;
  queues: QueueFigures[];
  total: QueueFigures;
  seats: SeatFigures[];
  /** Share (0–1) of each local hour 0–23 with someone online; absent when not asked for. */
  coverage?: (number | undefined)[];
}

/** What reading figures needs: counters and sets of the store, the seats for names, the clock for "now". */
export interface StatsReadPorts {
  store: Pick<StorePort, 'counters' | 'members' | 'zCard' | 'range'>;
  seats: { list(): Promise<Seat[]> };
  clock: Clock;
}

/** Which figures: a department's queues over local dates in its time zone. */
export interface StatsScope {
  department: string;
  timeZone: string;
  range: DateRange;
  queues: readonly string[];
  /** Online coverage per hour too (reads the presence log). */
  coverage?: boolean;
}

/**
 * Reads a department's figures from the counters kept as events happened:
 * per queue and day a fixed set of counters (events, sums, the first-response
 * histogram), so the cost grows with days × queues × seats, never with the
 * number of messages.
 */
export async function readStats(d: StatsReadPorts, scope: StatsScope): Promise<DepartmentStats> {
  const days = daysOf(scope.range);
  const queueNames = [...scope.queues];
  const perQueue = QUEUE_COUNTERS.length + BUCKET_COUNT;
  const counterKeys = queueNames.flatMap((q) => days.flatMap((day) => [
    ...QUEUE_COUNTERS.map((name) => statsKeys.queue(day, q, name)),
    ...Array.from({ length: BUCKET_COUNT }, (_, b) => statsKeys.firstResponseBucket(day, q, b)),
  ]));
  // The open counters ride in the same read as the day counters, after them.
  const [values, waiting, overdue, seatIds, allSeats] = await Promise.all([
    d.store.counters([...counterKeys, ...queueNames.map((q) => statsKeys.open(q))]),
    Promise.all(queueNames.map((q) => d.store.zCard(keys.waiting(q)))),
    Promise.all(queueNames.map((q) => d.store.zCard(statsKeys.overdue(q)))),
    Promise.all(queueNames.map((q) => Promise.all(days.map((day) => d.store.members(statsKeys.seatsOf(day, q)))))),
    d.seats.list(),
  ]);
  const openCounts = values.slice(counterKeys.length);
  const raw: { sums: Record<QueueCounter, number>; histogram: number[]; now: NowFigures }[] = queueNames.map((_, qi) => {
    const sums = Object.fromEntries(QUEUE_COUNTERS.map((n) => [n, 0])) as Record<QueueCounter, number>;
    const histogram = Array.from({ length: BUCKET_COUNT }, () => 0);
    days.forEach((_, di) => {
      const base = (qi * days.length + di) * perQueue;
      QUEUE_COUNTERS.forEach((n, i) => { sums[n] += values[base + i] ?? 0; });
      for (let b = 0; b < BUCKET_COUNT; b++) histogram[b]! += values[base + QUEUE_COUNTERS.length + b] ?? 0;
    });
    return { sums, histogram, now: { open: Math.max(0, openCounts[qi] ?? 0), waiting: waiting[qi] ?? 0, overdue: overdue[qi] ?? 0 } };
  });
  const queues = raw.map((r, qi) => figuresOf(queueNames[qi], r.sums, r.histogram, r.now));
  const seats = await seatFigures(d, queueNames, days, seatIds, allSeats);
  const out: DepartmentStats = { department: scope.department, timeZone: scope.timeZone, range: scope.range, queues, total: totalOf(raw), seats };
  if (scope.coverage) {
    const members = new Set(allSeats.filter((s) => s.queues.some((q) => queueNames.includes(q))).map((s) => s.id));
    const log = (await d.store.range(keys.presenceLog(), 0, -1)).map((line) => JSON.parse(line) as PresenceChange);
    out.coverage = coveragePerHour(log, members, scope.range, scope.timeZone, d.clock.now());
  }
  return out;
}

/** Figures that are about now, not about the range. */
interface NowFigures { open: number; waiting: number; overdue: number }

function figuresOf(queue: string | undefined, sums: Record<QueueCounter, number>, histogram: readonly number[], now: NowFigures): QueueFigures {
  const p50 = percentileOf(histogram, 0.5);
  const p90 = percentileOf(histogram, 0.9);
  return {
    ...(queue === undefined ? {} : { queue }),
    opened: sums.opened, closed: sums.closed, ...now,
    firstResponses: sums.first_count,
    ...(p50 === undefined ? {} : { firstResponseP50Ms: p50 }),
    ...(p90 === undefined ? {} : { firstResponseP90Ms: p90 }),
    ...(sums.resp_count > 0 ? { avgResponseMs: Math.round(sums.resp_sum / sums.resp_count) } : {}),
    transfers: sums.transfers, breaches: sums.breaches,
  };
}

/** The total line: sums, and percentiles and average of everything together (not averages of averages). */
function totalOf(raw: readonly { sums: Record<QueueCounter, number>; histogram: readonly number[]; now: NowFigures }[]): QueueFigures {
  const sums = Object.fromEntries(QUEUE_COUNTERS.map((n) => [n, raw.reduce((a, r) => a + r.sums[n], 0)])) as Record<QueueCounter, number>;
  const histogram = Array.from({ length: BUCKET_COUNT }, (_, b) => raw.reduce((a, r) => a + (r.histogram[b] ?? 0), 0));
  const now = { open: raw.reduce((a, r) => a + r.now.open, 0), waiting: raw.reduce((a, r) => a + r.now.waiting, 0), overdue: raw.reduce((a, r) => a + r.now.overdue, 0) };
  return figuresOf(undefined, sums, histogram, now);
}

async function seatFigures(d: StatsReadPorts, queues: readonly string[], days: readonly string[], seatIds: readonly (readonly string[][])[], allSeats: readonly Seat[]): Promise<SeatFigures[]> {
  const pairs: { seat: string; key: string; name: SeatCounter }[] = [];
  queues.forEach((q, qi) => days.forEach((day, di) => {
    for (const seat of seatIds[qi]?.[di] ?? []) for (const name of SEAT_COUNTERS) pairs.push({ seat, name, key: statsKeys.seat(day, q, seat, name) });
  }));
  const values = await d.store.counters(pairs.map((p) => p.key));
  const bySeat = new Map<string, SeatFigures>();
  const names = new Map(allSeats.map((s) => [s.id, s.name]));
  pairs.forEach((p, i) => {
    const f = bySeat.get(p.seat) ?? { seat: p.seat, name: names.get(p.seat) ?? p.seat, handled: 0, transfers: 0, breaches: 0 };
    f[p.name] += values[i] ?? 0;
    bySeat.set(p.seat, f);
  });
  return [...bySeat.values()].sort((a, b) => b.handled - a.handled || a.name.localeCompare(b.name));
}
