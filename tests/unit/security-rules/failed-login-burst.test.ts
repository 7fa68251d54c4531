import { describe, expect, it } from 'vitest';
import { failedLoginBurst } from '../../../src/core/security/rules/failed-login-burst.js';
import { DEFAULT_THRESHOLDS } from '../../../src/core/security/rules/types.js';
import { ACTOR, MINUTE, SECOND, T0, event, input, series } from './fixtures.js';

const WINDOW = 10 * MINUTE;

describe('failedLoginBurst', () => {
  it('defaults to five failures in ten minutes', () => {
    expect(DEFAULT_THRESHOLDS.failedLogins).toEqual({ count: 5, windowMs: WINDOW });
  });

  it('stays quiet at the fourth failure and fires at the fifth, counting the current one', () => {
    const earlier = series('login.failure', 4, MINUTE, T0 - MINUTE);
    expect(failedLoginBurst(input(event('login.failure', T0), earlier.slice(1)))).toBeUndefined();
    const finding = failedLoginBurst(input(event('login.failure', T0, { ip: '203.0.113.9' }), earlier));
    expect(finding).toMatchObject({ rule: 'failed-login-burst', subject: ACTOR, severity: 'medium' });
    expect(finding?.evidence).toMatchObject({ failures: 5, threshold: '5 in 10 minutes', firstAt: new Date(T0 - 4 * MINUTE).toISOString(), lastIp: '203.0.113.9' });
    expect(finding?.summary).toBe('5 failed logins for alice@example.com within 10 minutes.');
  });

  it('fires again on the sixth failure, leaving de-duplication to the alert pipeline', () => {
    const earlier = series('login.failure', 5, MINUTE, T0 - MINUTE);
    expect(failedLoginBurst(input(event('login.failure', T0), earlier))?.evidence['failures']).toBe(6);
  });

  it('counts a failure one millisecond inside the window and not one exactly ten minutes old', () => {
    const recent = series('login.failure', 3, MINUTE, T0 - MINUTE);
    const inside = event('login.failure', T0 - WINDOW + 1);
    const edge = event('login.failure', T0 - WINDOW);
    expect(failedLoginBurst(input(event('login.failure', T0), [inside, ...recent]))?.evidence['failures']).toBe(5);
    expect(failedLoginBurst(input(event('login.failure', T0), [edge, ...recent]))).toBeUndefined();
  });

  it('does not count successful logins or other events towards the burst', () => {
    const noise = [event('login.success', T0 - 3 * MINUTE), event('command.denied', T0 - 2 * MINUTE)];
    const earlier = [...series('login.failure', 3, MINUTE, T0 - MINUTE), ...noise];
    expect(failedLoginBurst(input(event('login.failure', T0), earlier))).toBeUndefined();
  });

  it('does not fire on a successful login even right after a burst of failures', () => {
    const earlier = series('login.failure', 6, MINUTE, T0 - MINUTE);
    expect(failedLoginBurst(input(event('login.success', T0), earlier))).toBeUndefined();
  });

  it('does not count the same event twice when a resend is already in the history', () => {
    const current = event('login.failure', T0);
    const earlier = [...series('login.failure', 3, MINUTE, T0 - MINUTE), { ...current }];
    expect(failedLoginBurst(input(current, earlier))).toBeUndefined();
  });

  it('ignores failures recorded after the current event when history arrives out of order', () => {
    const later = series('login.failure', 4, SECOND, T0 + MINUTE);
    expect(failedLoginBurst(input(event('login.failure', T0), later))).toBeUndefined();
  });

  it('reads history in any order and reports how many addresses the failures came from', () => {
    const earlier = series('login.failure', 4, MINUTE, T0 - MINUTE).map((e, i) => ({ ...e, ip: `198.51.100.${i}` })).reverse();
    const finding = failedLoginBurst(input(event('login.failure', T0, { ip: '198.51.100.0' }), earlier));
    expect(finding?.evidence['distinctIps']).toBe(4);
    expect(finding?.summary).toBe('5 failed logins for alice@example.com within 10 minutes, from 4 IP addresses.');
  });

  it('honours a configured threshold of three failures in one minute', () => {
    const thresholds = { ...DEFAULT_THRESHOLDS, failedLogins: { count: 3, windowMs: MINUTE } };
    const two = [event('login.failure', T0 - 30_000), event('login.failure', T0 - MINUTE + 1)];
    expect(failedLoginBurst(input(event('login.failure', T0), two, { thresholds }))?.evidence['threshold']).toBe('3 in 1 minute');
    const stale = [event('login.failure', T0 - 30_000), event('login.failure', T0 - MINUTE)];
    expect(failedLoginBurst(input(event('login.failure', T0), stale, { thresholds }))).toBeUndefined();
  });
});
