import { afterEach, describe, expect, it, vi } from 'vitest';
import { instantOf, localTime } from '../../src/core/hours/local-time.js';

/**
 * Issue 18: every new conversation asks for its queue's local date (the
 * stats' day), and Intl's formatting cost about 50 µs a call. The wall clock
 * names nothing finer than the second, so each zone's second is formatted
 * once; the answers stay those of formatting every time.
 */
describe('local time of recent seconds', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('formats a zone\'s second once for a burst of calls within it', () => {
    const formatToParts = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    const at = Date.UTC(2026, 11, 1, 21, 30, 5, 0) + 17;
    const first = localTime(at, 'Europe/Berlin');
    for (let i = 1; i < 200; i++) expect(localTime(at + (i % 900), 'Europe/Berlin')).toEqual(first);
    expect(formatToParts).toHaveBeenCalledTimes(1);
    expect(first).toEqual({ date: '2026-12-01', weekday: 2, minute: 22 * 60 + 30 });
  });

  it('answers as fresh formatting does across seconds, midnights, zones and a spring-forward night', () => {
    const fresh = (ms: number, timeZone: string) => {
      const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
      return { date: `${p.year}-${p.month}-${p.day}`, minute: Number(p.hour) * 60 + Number(p.minute) };
    };
    const midnight = Date.UTC(2026, 2, 28, 23, 0, 0); // Berlin's midnight before its spring-forward night
    for (const zone of ['UTC', 'Europe/Berlin', 'Asia/Shanghai', 'America/St_Johns']) {
      for (const ms of [midnight - 1, midnight, midnight + 999, midnight + 1000, midnight + 3 * 3600_000 - 1, midnight + 3 * 3600_000]) {
        const { date, minute } = localTime(ms, zone);
        expect({ date, minute }, `${zone} ${ms}`).toEqual(fresh(ms, zone));
      }
    }
    // 02:30 does not happen in Berlin that night: read with the offset from before the jump (03:30 CEST).
    expect(instantOf('2026-03-29', 150, 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 29, 1, 30));
  });
});
