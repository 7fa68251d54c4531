import { addDays, instantOf, localTime, weekdayOf } from './local-time.js';

/** A queue's opening hours (SPEC §7 `hours`); absent on a queue means always open. */
export interface BusinessHours {
  /** IANA name, e.g. `Asia/Shanghai`. */
  timeZone: string;
  /** Open days, 1 = Monday … 7 = Sunday. */
  days: number[];
  /** Minutes since local midnight. `close` <= `open` means the hours run past midnight into the next day. */
  open: number;
  close: number;
  /** Local dates (`YYYY-MM-DD`) closed all day: a shift starting that day does not happen. */
  holidays: string[];
}

/** A shift starts on `date` when the day is an open day and not a holiday. */
function shiftOn(h: BusinessHours, date: string): boolean {
  return h.days.includes(weekdayOf(date)) && !h.holidays.includes(date);
}

/** Whether the queue is open at instant `now`. */
export function isOpen(h: BusinessHours, now: number): boolean {
  const local = localTime(now, h.timeZone);
  if (h.close > h.open) return shiftOn(h, local.date) && local.minute >= h.open && local.minute < h.close;
  // Overnight: the evening part belongs to today's shift, the early-morning part to yesterday's.
  return (shiftOn(h, local.date) && local.minute >= h.open) || (shiftOn(h, addDays(local.date, -1)) && local.minute < h.close);
}

/**
 * When the queue next opens after `now` (epoch ms), or undefined when no open
 * day comes within a year (every day a holiday, no days listed).
 */
export function nextOpening(h: BusinessHours, now: number): number | undefined {
  const today = localTime(now, h.timeZone).date;
  for (let d = 0; d <= 370; d++) {
    const date = addDays(today, d);
    if (!shiftOn(h, date)) continue;
    const at = instantOf(date, h.open, h.timeZone);
    if (at > now) return at;
  }
  return undefined;
}
