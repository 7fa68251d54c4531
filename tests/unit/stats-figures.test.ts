import { describe, expect, it } from 'vitest';
import { BUCKET_BOUNDS_MS, BUCKET_COUNT, bucketOf, percentileOf } from '../../src/core/stats/response-buckets.js';
import { checkedRange, daysOf, isPeriodWord, previousWeek, rangeOf } from '../../src/core/stats/stat-range.js';
import { departmentZone } from '../../src/core/stats/department-zone.js';
import { coveragePerHour } from '../../src/core/stats/coverage.js';
import { nextDigestAt } from '../../src/core/stats/digest-schedule.js';
import { StatsRecorder } from '../../src/core/stats/stats-recorder.js';
import { DEFAULT_SERVICE } from '../../src/core/service-settings.js';

const S = 1000;

/** A histogram with one count per given time. */
const histogramOf = (...ms: number[]) => {
  const counts = Array.from({ length: BUCKET_COUNT }, () => 0);
  for (const m of ms) counts[bucketOf(m)]! += 1;
  return counts;
};

describe('first-response histogram', () => {
  it('puts a time in the first bucket whose upper bound holds it, beyond a day in the overflow', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(-5)).toBe(0);
    expect(BUCKET_BOUNDS_MS[bucketOf(30 * S)]).toBe(30 * S);
    expect(BUCKET_BOUNDS_MS[bucketOf(30 * S + 1)]).toBe(40 * S);
    expect(bucketOf(2 * 86_400 * S)).toBe(BUCKET_COUNT - 1);
  });

  it('gives p50 and p90 as the upper bound of the bucket holding the ⌈p·n⌉-th fastest time', () => {
    // Ten answers: 1 s … 9 s and one after 10 minutes.
    const counts = histogramOf(1 * S, 2 * S, 3 * S, 4 * S, 5 * S, 6 * S, 7 * S, 8 * S, 9 * S, 600 * S);
    expect(percentileOf(counts, 0.5)).toBe(5 * S);
    expect(percentileOf(counts, 0.9)).toBe(9 * S);
    expect(percentileOf(counts, 1)).toBe(600 * S);
    // Two answers, 30 s and 90 s: the median is the faster one, p90 the slower.
    expect(percentileOf(histogramOf(30 * S, 90 * S), 0.5)).toBe(30 * S);
    expect(percentileOf(histogramOf(30 * S, 90 * S), 0.9)).toBe(90 * S);
  });

  it('has no percentile without answers, and says "a day" for the overflow bucket', () => {
    expect(percentileOf(histogramOf(), 0.5)).toBeUndefined();
    expect(percentileOf(histogramOf(3 * 86_400 * S), 0.5)).toBe(86_400 * S);
  });
});

describe('date ranges in a department time zone', () => {
  // 2026-11-30 20:00 UTC is already 2026-12-01 04:00 in Shanghai.
  const now = Date.parse('2026-11-30T20:00:00Z');

  it('reads today and the rolling week (the last 7 days, today included) on the zone\'s calendar', () => {
    expect(rangeOf('today', now, 'Asia/Shanghai')).toEqual({ ok: true, value: { from: '2026-12-01', to: '2026-12-01' } });
    expect(rangeOf(undefined, now, 'UTC')).toEqual({ ok: true, value: { from: '2026-11-30', to: '2026-11-30' } });
    expect(rangeOf('week', now, 'Asia/Shanghai')).toEqual({ ok: true, value: { from: '2026-11-25', to: '2026-12-01' } });
    expect(rangeOf('WEEK', now, 'America/New_York')).toEqual({ ok: true, value: { from: '2026-11-24', to: '2026-11-30' } });
  });

  it('takes FROM..TO with both days included, and refuses a reversed, impossible or too long range', () => {
    expect(rangeOf('2026-11-01..2026-11-07', now, 'UTC')).toEqual({ ok: true, value: { from: '2026-11-01', to: '2026-11-07' } });
    expect(daysOf({ from: '2026-02-27', to: '2026-03-02' })).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    for (const bad of ['2026-11-07..2026-11-01', '2026-02-30..2026-03-01', 'yesterday']) {
      expect(rangeOf(bad, now, 'UTC'), bad).toMatchObject({ ok: false, failure: { code: 'bad_arguments' } });
    }
    expect(checkedRange('2025-01-01', '2026-12-31')).toMatchObject({ ok: false, failure: { detail: { usage: 'usage.stats_long' } } });
    expect(isPeriodWord('2026-11-01..2026-11-07')).toBe(true);
    expect(isPeriodWord('refunds')).toBe(false);
  });

  it('gives the digest the previous Monday-to-Sunday week', () => {
    expect(previousWeek('2026-11-30')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(previousWeek('2026-12-02')).toEqual({ from: '2026-11-23', to: '2026-11-29' });
  });

  it('counts an event on the local day of its department zone', () => {
    const recorder = new StatsRecorder(() => 'Asia/Shanghai');
    expect(recorder.opened('refunds', now)[0]).toEqual({ kind: 'incr', key: 'stats:q:2026-12-01:refunds:opened', by: 1 });
    expect(new StatsRecorder(() => 'UTC').opened('refunds', now)[0]).toMatchObject({ key: 'stats:q:2026-11-30:refunds:opened' });
  });
});

describe('a department\'s time zone', () => {
  const hours = (timeZone: string) => ({ ...DEFAULT_SERVICE, hours: { timeZone, days: [1, 2, 3, 4, 5], open: 540, close: 1080, holidays: [] } });
  const queues = {
    a: { department: 'sales', service: hours('Europe/Berlin') },
    b: { department: 'sales', service: hours('Europe/Berlin') },
    c: { department: 'sales' },
    d: { department: 'support', service: hours('Europe/Berlin') },
    e: { department: 'support', service: hours('Asia/Shanghai') },
  };

  it('is the zone its queues with hours agree on, else the fallback (security.time_zone)', () => {
    expect(departmentZone(queues, 'sales', 'UTC')).toBe('Europe/Berlin');
    expect(departmentZone(queues, 'support', 'America/New_York')).toBe('America/New_York');
    expect(departmentZone(queues, 'nowhere', 'UTC')).toBe('UTC');
  });
});

describe('online coverage per hour', () => {
  const day = { from: '2026-11-30', to: '2026-11-30' };
  const at = (hhmm: string) => Date.parse(`2026-11-30T${hhmm}:00Z`);

  it('gives each hour the share of its time with at least one of the seats online, in the zone', () => {
    const log = [
      { seat: 'ann', presence: 'online', at: at('09:00') },
      { seat: 'ben', presence: 'online', at: at('09:30') },
      { seat: 'ann', presence: 'away', at: at('10:00') },
      { seat: 'ben', presence: 'paused', at: at('10:30') },
      { seat: 'eve', presence: 'online', at: at('00:00') }, // not one of the department's seats
    ];
    const cov = coveragePerHour(log, new Set(['ann', 'ben']), day, 'UTC', at('23:59') + 60_000);
    expect(cov[8]).toBe(0);
    expect(cov[9]).toBe(1);
    expect(cov[10]).toBe(0.5);
    expect(cov[11]).toBe(0);
    // In Berlin (UTC+1) the same presence is 10:00–11:30 local.
    const berlin = coveragePerHour(log, new Set(['ann', 'ben']), day, 'Europe/Berlin', at('23:59'));
    expect([berlin[9], berlin[10], berlin[11]]).toEqual([0, 1, 0.5]);
  });

  it('counts a seat still online up to now, and leaves hours not yet begun undefined', () => {
    const log = [{ seat: 'ann', presence: 'online', at: at('08:00') - 3 * 86_400_000 }];
    const cov = coveragePerHour(log, new Set(['ann']), day, 'UTC', at('12:30'));
    expect(cov.slice(0, 12)).toEqual(Array.from({ length: 12 }, () => 1));
    expect(cov[12]).toBe(1);
    expect(cov[13]).toBeUndefined();
  });

  it('adds the days of a range up, hour by hour', () => {
    const log = [
      { seat: 'ann', presence: 'online', at: at('09:00') },
      { seat: 'ann', presence: 'disabled', at: at('10:00') },
    ];
    const cov = coveragePerHour(log, new Set(['ann']), { from: '2026-11-30', to: '2026-12-01' }, 'UTC', Date.parse('2026-12-02T00:00:00Z'));
    expect(cov[9]).toBe(0.5);
  });
});

describe('the weekly digest\'s time', () => {
  it('is the next Monday 09:00 on the department\'s wall clock, across a DST change', () => {
    // Sunday 2026-10-25 is Berlin's change to winter time: Monday 09:00 is 08:00 UTC.
    expect(new Date(nextDigestAt(Date.parse('2026-10-24T12:00:00Z'), 'Europe/Berlin')).toISOString()).toBe('2026-10-26T08:00:00.000Z');
    // A week earlier it was summer time: 07:00 UTC.
    expect(new Date(nextDigestAt(Date.parse('2026-10-17T12:00:00Z'), 'Europe/Berlin')).toISOString()).toBe('2026-10-19T07:00:00.000Z');
    // On a Monday after 09:00: the following Monday; at 08:59, the same day.
    expect(new Date(nextDigestAt(Date.parse('2026-11-30T09:00:00Z'), 'UTC')).toISOString()).toBe('2026-12-07T09:00:00.000Z');
    expect(new Date(nextDigestAt(Date.parse('2026-11-30T08:59:00Z'), 'UTC')).toISOString()).toBe('2026-11-30T09:00:00.000Z');
    // Sunday 20:00 UTC is already Monday 04:00 in Shanghai: 09:00 there comes five hours later.
    expect(new Date(nextDigestAt(Date.parse('2026-11-29T20:00:00Z'), 'Asia/Shanghai')).toISOString()).toBe('2026-11-30T01:00:00.000Z');
  });
});

