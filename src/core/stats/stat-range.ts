import { addDays, localTime, weekdayOf } from '../hours/local-time.js';
import { fail, ok, type Result } from '../result.js';

/** Local dates, both inclusive, `YYYY-MM-DD`. */
export interface DateRange {
  from: string;
  to: string;
}

/** Longest range `/stats` and the API answer: a year of days keeps the counters read per call bounded. */
export const MAX_RANGE_DAYS = 366;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const RANGE = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;

/** Whether a word is a period `/stats` understands: `today`, `week` or `YYYY-MM-DD..YYYY-MM-DD`. */
export function isPeriodWord(word: string): boolean {
  return ['today', 'week'].includes(word.toLowerCase()) || RANGE.test(word);
}

/**
 * The days a period covers, in `timeZone` at `now`: `today` (also the
 * default); `week`, the last 7 days including today (a rolling week, so a
 * Monday's figures are not one day thin); or an explicit range, both ends
 * inclusive.
 */
export function rangeOf(period: string | undefined, now: number, timeZone: string): Result<DateRange> {
  const today = localTime(now, timeZone).date;
  const word = (period ?? 'today').toLowerCase();
  if (word === 'today') return ok({ from: today, to: today });
  if (word === 'week') return ok({ from: addDays(today, -6), to: today });
  const m = RANGE.exec(word);
  if (!m) return fail('bad_arguments', { usage: 'usage.stats' });
  return checkedRange(m[1]!, m[2]!);
}

/** An explicit range, checked: real dates, `from` not after `to`, at most MAX_RANGE_DAYS days. */
export function checkedRange(from: string, to: string): Result<DateRange> {
  if (!isDate(from) || !isDate(to) || from > to) return fail('bad_arguments', { usage: 'usage.stats' });
  if (daysOf({ from, to }).length > MAX_RANGE_DAYS) return fail('bad_arguments', { usage: 'usage.stats_long' });
  return ok({ from, to });
}

/** The previous ISO week (Monday to Sunday) before the local date `date`: what the Monday digest reports. */
export function previousWeek(date: string): DateRange {
  const monday = addDays(date, 1 - weekdayOf(date));
  return { from: addDays(monday, -7), to: addDays(monday, -1) };
}

/** Every local date of a range, in order. */
export function daysOf(range: DateRange): string[] {
  const out: string[] = [];
  for (let d = range.from; d <= range.to && out.length <= MAX_RANGE_DAYS; d = addDays(d, 1)) out.push(d);
  return out;
}

function isDate(text: string): boolean {
  return DATE.test(text) && addDays(text, 0) === text;
}
