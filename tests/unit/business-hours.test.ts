import { describe, expect, it } from 'vitest';
import { isOpen, nextOpening, type BusinessHours } from '../../src/core/hours/business-hours.js';
import { instantOf, localTime } from '../../src/core/hours/local-time.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const weekdays = (timeZone: string, o: Partial<BusinessHours> = {}): BusinessHours => ({ timeZone, days: [1, 2, 3, 4, 5], open: 9 * 60, close: 18 * 60, holidays: [], ...o });

describe('wall-clock time in a zone', () => {
  it('reads date, ISO weekday and minute of the day', () => {
    expect(localTime(at('2026-12-01T01:30:00Z'), 'Asia/Shanghai')).toEqual({ date: '2026-12-01', weekday: 2, minute: 9 * 60 + 30 });
    expect(localTime(at('2026-12-06T23:59:00Z'), 'UTC')).toEqual({ date: '2026-12-06', weekday: 7, minute: 23 * 60 + 59 });
  });

  it.each([
    // Berlin springs forward on 2026-03-29 at 02:00 (CET → CEST) and falls back on 2026-10-25 at 03:00.
    ['Europe/Berlin', '2026-03-28', 9 * 60, '2026-03-28T08:00:00.000Z'],
    ['Europe/Berlin', '2026-03-30', 9 * 60, '2026-03-30T07:00:00.000Z'],
    ['Europe/Berlin', '2026-03-29', 2 * 60 + 30, '2026-03-29T01:30:00.000Z'], // skipped: 03:30 CEST
    ['Europe/Berlin', '2026-10-25', 2 * 60 + 30, '2026-10-25T00:30:00.000Z'], // twice: the first (CEST)
    ['Europe/Berlin', '2026-10-26', 9 * 60, '2026-10-26T08:00:00.000Z'],
    // New York springs forward on 2026-03-08 and falls back on 2026-11-01.
    ['America/New_York', '2026-03-07', 9 * 60, '2026-03-07T14:00:00.000Z'],
    ['America/New_York', '2026-03-09', 9 * 60, '2026-03-09T13:00:00.000Z'],
    ['America/New_York', '2026-11-01', 1 * 60 + 30, '2026-11-01T05:30:00.000Z'],
    ['America/New_York', '2026-11-02', 9 * 60, '2026-11-02T14:00:00.000Z'],
  ])('%s %s at minute %i is %s', (zone, date, minute, expected) => {
    expect(iso(instantOf(date, minute, zone))).toBe(expected);
  });
});

describe('business hours', () => {
  it('is open within the hours of an open day, closed before, after, at weekends and on holidays', () => {
    const h = weekdays('Asia/Shanghai', { holidays: ['2026-10-01'] });
    expect(isOpen(h, at('2026-12-01T01:00:00Z'))).toBe(true); // Tue 09:00
    expect(isOpen(h, at('2026-12-01T00:59:00Z'))).toBe(false); // 08:59
    expect(isOpen(h, at('2026-12-01T10:00:00Z'))).toBe(false); // 18:00 closes
    expect(isOpen(h, at('2026-12-05T03:00:00Z'))).toBe(false); // Saturday
    expect(isOpen(h, at('2026-10-01T03:00:00Z'))).toBe(false); // Thursday, a holiday
  });

  it('follows daylight saving: 09:00 Berlin is 08:00 UTC before the spring change and 07:00 after', () => {
    const h = weekdays('Europe/Berlin');
    expect(isOpen(h, at('2026-03-27T07:30:00Z'))).toBe(false); // Fri 08:30 CET
    expect(isOpen(h, at('2026-03-30T07:30:00Z'))).toBe(true); // Mon 09:30 CEST
    expect(iso(nextOpening(h, at('2026-03-27T20:00:00Z')))).toBe('2026-03-30T07:00:00.000Z');
    expect(iso(nextOpening(h, at('2026-10-23T20:00:00Z')))).toBe('2026-10-26T08:00:00.000Z');
  });

  it('follows daylight saving in New York too', () => {
    const h = weekdays('America/New_York');
    expect(iso(nextOpening(h, at('2026-03-06T23:30:00Z')))).toBe('2026-03-09T13:00:00.000Z');
    expect(iso(nextOpening(h, at('2026-10-30T23:30:00Z')))).toBe('2026-11-02T14:00:00.000Z');
  });

  it('skips holidays and wraps the week: closed on Friday evening before a Monday holiday → Tuesday', () => {
    const h = weekdays('Asia/Shanghai', { holidays: ['2026-12-07'] });
    expect(iso(nextOpening(h, at('2026-12-04T11:00:00Z')))).toBe('2026-12-08T01:00:00.000Z');
    // Sunday-only hours wrap from Monday to the next Sunday.
    expect(iso(nextOpening(weekdays('UTC', { days: [7] }), at('2026-11-30T12:00:00Z')))).toBe('2026-12-06T09:00:00.000Z');
  });

  it('opens later today when it is before the opening, and says nothing when no day ever opens', () => {
    const h = weekdays('UTC');
    expect(iso(nextOpening(h, at('2026-12-01T06:00:00Z')))).toBe('2026-12-01T09:00:00.000Z');
    expect(nextOpening(weekdays('UTC', { days: [] }), at('2026-12-01T06:00:00Z'))).toBeUndefined();
  });

  it('runs past midnight when close is before open (22:00–06:00): Friday night counts into Saturday morning', () => {
    const h = weekdays('UTC', { open: 22 * 60, close: 6 * 60 });
    expect(isOpen(h, at('2026-12-04T23:00:00Z'))).toBe(true); // Fri 23:00
    expect(isOpen(h, at('2026-12-05T05:59:00Z'))).toBe(true); // Sat 05:59, Friday's shift
    expect(isOpen(h, at('2026-12-05T23:00:00Z'))).toBe(false); // Sat night: no shift
    expect(isOpen(h, at('2026-12-07T03:00:00Z'))).toBe(false); // Mon 03:00: Sunday had none
  });
});
