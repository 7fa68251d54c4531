import { describe, expect, it } from 'vitest';
import { localTime } from '../../../src/core/security/rules/local-time.js';
import { DEFAULT_PROFILE, type ActorProfile, type SecurityEventType } from '../../../src/core/security/rules/types.js';
import { describeDays, unusualHours } from '../../../src/core/security/rules/unusual-hours.js';
import { ACTOR, event, input } from './fixtures.js';

const SHANGHAI: ActorProfile = { ...DEFAULT_PROFILE, timeZone: 'Asia/Shanghai' };
const LOS_ANGELES: ActorProfile = { ...DEFAULT_PROFILE, timeZone: 'America/Los_Angeles' };

/** Whether a successful login at `at` (ms, UTC) is flagged for this profile. */
const flagged = (at: number, profile: ActorProfile = DEFAULT_PROFILE, type: SecurityEventType = 'login.success') =>
  unusualHours(input(event(type, at), [], { profile })) !== undefined;

describe('unusualHours with the default profile (09:00–18:00, Monday–Friday, UTC)', () => {
  it('flags 08:59 and 18:00 on a Monday and accepts 09:00 and 17:59', () => {
    expect(flagged(Date.UTC(2026, 2, 9, 8, 59))).toBe(true);
    expect(flagged(Date.UTC(2026, 2, 9, 9, 0))).toBe(false);
    expect(flagged(Date.UTC(2026, 2, 9, 17, 59))).toBe(false);
    expect(flagged(Date.UTC(2026, 2, 9, 18, 0))).toBe(true);
  });

  it('puts the edges on the millisecond: 08:59:59.999 and 18:00:00.000 are outside', () => {
    expect(flagged(Date.UTC(2026, 2, 9, 8, 59, 59, 999))).toBe(true);
    expect(flagged(Date.UTC(2026, 2, 9, 17, 59, 59, 999))).toBe(false);
    expect(flagged(Date.UTC(2026, 2, 9, 18, 0, 0, 0))).toBe(true);
  });

  it('wraps the week: Sunday 23:30 and Monday 08:59 are outside, Monday 09:00 inside', () => {
    expect(flagged(Date.UTC(2026, 2, 8, 23, 30))).toBe(true);
    expect(flagged(Date.UTC(2026, 2, 9, 0, 30))).toBe(true);
    expect(flagged(Date.UTC(2026, 2, 9, 8, 59))).toBe(true);
    expect(flagged(Date.UTC(2026, 2, 9, 9, 0))).toBe(false);
  });

  it('flags the weekend at midday and the Friday evening from 18:00', () => {
    expect(flagged(Date.UTC(2026, 2, 6, 17, 59))).toBe(false);
    expect(flagged(Date.UTC(2026, 2, 6, 18, 0))).toBe(true);
    expect(flagged(Date.UTC(2026, 2, 7, 12, 0))).toBe(true);
  });

  it('describes a Sunday-night login as low severity with its local time and the window', () => {
    const finding = unusualHours(input(event('login.success', Date.UTC(2026, 2, 8, 23, 30))));
    expect(finding).toMatchObject({
      rule: 'unusual-hours',
      subject: ACTOR,
      severity: 'low',
      summary: 'alice@example.com logged in at Sun 23:30 UTC time, outside working hours (09:00–18:00 on Mon–Fri).',
      evidence: { eventType: 'login.success', localTime: 'Sun 23:30', timeZone: 'UTC', workingHours: '09:00–18:00 on Mon–Fri' },
    });
  });

  it('flags privileged actions at medium severity and ignores failed logins and refusals', () => {
    const sunday = Date.UTC(2026, 2, 8, 3, 0);
    for (const type of ['config.change', 'permission.change', 'data.export'] as const) {
      expect(unusualHours(input(event(type, sunday)))?.severity).toBe('medium');
    }
    expect(flagged(sunday, DEFAULT_PROFILE, 'login.failure')).toBe(false);
    expect(flagged(sunday, DEFAULT_PROFILE, 'command.denied')).toBe(false);
  });
});

describe('unusualHours in other time zones', () => {
  it('reads the Shanghai wall clock (UTC+8): Monday 09:00 there is 01:00 UTC', () => {
    const mondayNineShanghai = Date.UTC(2026, 2, 9, 1, 0);
    expect(flagged(mondayNineShanghai, SHANGHAI)).toBe(false);
    expect(flagged(mondayNineShanghai, DEFAULT_PROFILE)).toBe(true);
    expect(flagged(Date.UTC(2026, 2, 9, 0, 59), SHANGHAI)).toBe(true);
  });

  it('wraps the week in Shanghai: Sunday 23:30 and Monday 00:30 local are outside, though UTC says Sunday afternoon', () => {
    expect(flagged(Date.UTC(2026, 2, 8, 15, 30), SHANGHAI)).toBe(true);
    expect(flagged(Date.UTC(2026, 2, 8, 16, 30), SHANGHAI)).toBe(true);
    expect(unusualHours(input(event('login.success', Date.UTC(2026, 2, 8, 16, 30)), [], { profile: SHANGHAI }))?.evidence['localTime']).toBe('Mon 00:30');
  });

  it('ends the Shanghai day at 18:00 local, which is 10:00 UTC', () => {
    expect(flagged(Date.UTC(2026, 2, 6, 9, 59), SHANGHAI)).toBe(false);
    expect(flagged(Date.UTC(2026, 2, 6, 10, 0), SHANGHAI)).toBe(true);
  });

  it('follows Los Angeles into daylight saving time on 8 March 2026 (UTC−8 to UTC−7)', () => {
    // Friday 6 March, PST: 09:00 local is 17:00 UTC.
    expect(flagged(Date.UTC(2026, 2, 6, 16, 59), LOS_ANGELES)).toBe(true);
    expect(flagged(Date.UTC(2026, 2, 6, 17, 0), LOS_ANGELES)).toBe(false);
    // Monday 9 March, PDT: 09:00 local is 16:00 UTC, so 16:30 UTC is now inside.
    expect(flagged(Date.UTC(2026, 2, 9, 15, 59), LOS_ANGELES)).toBe(true);
    expect(flagged(Date.UTC(2026, 2, 9, 16, 0), LOS_ANGELES)).toBe(false);
    expect(flagged(Date.UTC(2026, 2, 6, 16, 30), LOS_ANGELES)).toBe(true);
    expect(flagged(Date.UTC(2026, 2, 9, 16, 30), LOS_ANGELES)).toBe(false);
  });

  it('follows Los Angeles back to standard time on 1 November 2026', () => {
    // Friday 30 October, PDT: 09:00 local is 16:00 UTC; Monday 2 November, PST: 17:00 UTC.
    expect(flagged(Date.UTC(2026, 9, 30, 16, 0), LOS_ANGELES)).toBe(false);
    expect(flagged(Date.UTC(2026, 10, 2, 16, 0), LOS_ANGELES)).toBe(true);
    expect(flagged(Date.UTC(2026, 10, 2, 16, 59), LOS_ANGELES)).toBe(true);
    expect(flagged(Date.UTC(2026, 10, 2, 17, 0), LOS_ANGELES)).toBe(false);
  });

  it('keeps a Los Angeles Friday evening on Friday although UTC has reached Saturday', () => {
    expect(flagged(Date.UTC(2026, 2, 7, 1, 59), LOS_ANGELES)).toBe(false);
    expect(flagged(Date.UTC(2026, 2, 7, 2, 0), LOS_ANGELES)).toBe(true);
    expect(unusualHours(input(event('config.change', Date.UTC(2026, 2, 7, 2, 0)), [], { profile: LOS_ANGELES }))?.summary)
      .toBe('alice@example.com changed the configuration at Fri 18:00 America/Los_Angeles time, outside working hours (09:00–18:00 on Mon–Fri).');
  });

  it('falls back to UTC for an unknown time zone and says so in the evidence', () => {
    const profile = { ...DEFAULT_PROFILE, timeZone: 'Mars/Olympus_Mons' };
    expect(flagged(Date.UTC(2026, 2, 9, 10, 0), profile)).toBe(false);
    expect(unusualHours(input(event('login.success', Date.UTC(2026, 2, 8, 23, 30)), [], { profile }))?.evidence['timeZone']).toBe('Mars/Olympus_Mons (unknown zone, UTC used)');
  });
});

describe('unusualHours with other working windows', () => {
  const NIGHT_SHIFT: ActorProfile = { timeZone: 'UTC', workStartHour: 22, workEndHour: 6, workDays: [1, 2, 3, 4, 5] };

  it('lets a night shift run past midnight into the next day', () => {
    expect(flagged(Date.UTC(2026, 2, 6, 23, 0), NIGHT_SHIFT)).toBe(false);
    expect(flagged(Date.UTC(2026, 2, 7, 5, 59), NIGHT_SHIFT)).toBe(false);
    expect(flagged(Date.UTC(2026, 2, 7, 6, 0), NIGHT_SHIFT)).toBe(true);
    expect(flagged(Date.UTC(2026, 2, 6, 21, 59), NIGHT_SHIFT)).toBe(true);
  });

  it('does not start a night shift on a day off, even when the next day is a workday', () => {
    expect(flagged(Date.UTC(2026, 2, 8, 22, 0), NIGHT_SHIFT)).toBe(true);
    expect(flagged(Date.UTC(2026, 2, 9, 5, 0), NIGHT_SHIFT)).toBe(true);
    expect(flagged(Date.UTC(2026, 2, 9, 22, 0), NIGHT_SHIFT)).toBe(false);
  });

  it('treats equal start and end hours as the whole day, and lists a Sunday-to-Thursday week', () => {
    const allDay: ActorProfile = { timeZone: 'UTC', workStartHour: 0, workEndHour: 0, workDays: [7, 1, 2, 3, 4] };
    expect(flagged(Date.UTC(2026, 2, 8, 3, 0), allDay)).toBe(false);
    expect(unusualHours(input(event('login.success', Date.UTC(2026, 2, 6, 12, 0)), [], { profile: allDay }))?.evidence['workingHours'])
      .toBe('all day on Sun–Thu');
  });

  it('names working days as ranges where three or more follow each other', () => {
    expect(describeDays([1, 2, 3, 4, 5])).toBe('Mon–Fri');
    expect(describeDays([5, 3, 1])).toBe('Mon, Wed, Fri');
    expect(describeDays([6, 7])).toBe('Sat, Sun');
    expect(describeDays([1, 2, 3, 4, 5, 6, 7])).toBe('every day');
  });
});

describe('localTime', () => {
  it('reports midnight as hour 0, not 24', () => {
    expect(localTime(Date.UTC(2026, 2, 9, 0, 0), 'UTC')).toEqual({ weekday: 1, hour: 0, minute: 0, timeZone: 'UTC' });
  });
});
