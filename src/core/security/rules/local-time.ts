/** A moment as the wall clock of one time zone shows it. */
export interface LocalTime {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** 0–23. */
  hour: number;
  minute: number;
  /** The zone actually used: the one asked for, or UTC when that one is unknown. */
  timeZone: string;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The local weekday, hour and minute of `at` in an IANA time zone, from the
 * platform's time-zone database (Intl), so daylight-saving changes are those
 * of the zone on that date. An unknown zone falls back to UTC rather than
 * throwing, and says so in `timeZone`.
 */
export function localTime(at: number, timeZone: string): LocalTime {
  const asked = formatterFor(timeZone);
  const zone = asked === undefined ? 'UTC' : timeZone;
  const parts = (asked ?? UTC).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    weekday: WEEKDAYS.indexOf(part('weekday') as (typeof WEEKDAYS)[number]) + 1,
    hour: Number(part('hour')),
    minute: Number(part('minute')),
    timeZone: zone,
  };
}

/** 1 → "Mon". */
export const weekdayName = (weekday: number): string => WEEKDAYS[weekday - 1] ?? `day ${weekday}`;

// en-US for stable English weekday names; h23 so midnight is 00, not 24.
const makeFormatter = (timeZone: string) =>
  new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const UTC = makeFormatter('UTC');

function formatterFor(timeZone: string): Intl.DateTimeFormat | undefined {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    try {
      f = makeFormatter(timeZone);
    } catch {
      return undefined; // RangeError: not an IANA zone this runtime knows
    }
    formatters.set(timeZone, f);
  }
  return f;
}
