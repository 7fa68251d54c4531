/**
 * Wall-clock time in an IANA time zone, by the platform's own tz database
 * (Intl), so daylight-saving changes are whatever the zone says they are.
 * Pure: no clock, no I/O.
 */

export interface LocalTime {
  /** `YYYY-MM-DD`, as holidays are written. */
  date: string;
  /** 1 = Monday … 7 = Sunday (ISO, as the config's `days`). */
  weekday: number;
  /** Minutes since local midnight. */
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', weekday: 'short' });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Wall-clock parts of recent seconds; the oldest is forgotten past this. */
const PARTS_KEPT = 64;
const recentParts = new Map<string, Readonly<Record<string, string>>>();

/**
 * The formatter's parts at `ms`. They name nothing finer than the second, so
 * they are kept per zone and second: a burst of messages (the stats' local
 * date of each, a queue's hours) formats each second once, where formatting
 * cost about 50 µs a call.
 */
function parts(ms: number, timeZone: string): Readonly<Record<string, string>> {
  const second = Math.floor(ms / 1000);
  const key = `${timeZone} ${second}`;
  let p = recentParts.get(key);
  if (!p) {
    p = Object.fromEntries(formatter(timeZone).formatToParts(new Date(second * 1000)).map((part) => [part.type, part.value]));
    recentParts.set(key, p);
    if (recentParts.size > PARTS_KEPT) recentParts.delete(recentParts.keys().next().value!);
  }
  return p;
}

/** The wall clock of `timeZone` at instant `ms`. */
export function localTime(ms: number, timeZone: string): LocalTime {
  const p = parts(ms, timeZone);
  return { date: `${p.year}-${p.month}-${p.day}`, weekday: WEEKDAYS[p.weekday!]!, minute: Number(p.hour) * 60 + Number(p.minute) };
}

/** How far `timeZone`'s wall clock is ahead of UTC at instant `ms`, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const p = parts(ms, timeZone);
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a wall-clock time happens in `timeZone`. A time that happens
 * twice (the autumn overlap) is its first occurrence; a time the zone skips
 * (02:30 on a spring-forward night) is read with the offset from before the
 * jump, so it lands as far after the jump as it was after its start (03:30).
 */
export function instantOf(date: string, minute: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, Math.floor(minute / 60), minute % 60);
  // A zone changes its offset at most once within a day around the time: the offsets half a day either side cover it.
  const before = wall - offsetAt(wall - 43_200_000, timeZone);
  const after = wall - offsetAt(wall + 43_200_000, timeZone);
  const valid = [before, after].filter((c) => c + offsetAt(c, timeZone) === wall);
  return valid.length ? Math.min(...valid) : before;
}

/** The local date `days` after `date` (calendar arithmetic, no time zone involved). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** ISO weekday (1 = Monday) of a local date. */
export function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return day === 0 ? 7 : day;
}

/** `HH:MM` (00:00–24:00) as minutes since midnight, or undefined. */
export function parseClock(text: string): number | undefined {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 24 * 60 ? minutes : undefined;
}
