import { describe, expect, it } from 'vitest';
import { RULES, evaluate } from '../../../src/core/security/rules/index.js';
import { DAY, HOUR, T0, event, input } from './fixtures.js';

describe('evaluate', () => {
  it('runs all seven rules', () => {
    expect(RULES).toHaveLength(7);
  });

  it('finds nothing in an ordinary weekday login from the usual place and device', () => {
    const history = [event('login.success', T0 - DAY, { country: 'DE', device: 'laptop-1' })];
    expect(evaluate(input(event('login.success', T0, { country: 'DE', device: 'laptop-1' }), history))).toEqual([]);
  });

  it('returns every finding of one event: a Sunday-night login from Japan an hour after one from Germany', () => {
    const sundayNight = Date.UTC(2026, 2, 8, 23, 0);
    const history = [event('login.success', sundayNight - HOUR, { country: 'DE', device: 'laptop-1' })];
    const findings = evaluate(input(event('login.success', sundayNight, { country: 'JP', device: 'phone-9' }), history));
    expect(findings.map((f) => f.rule)).toEqual(['new-country-or-device', 'impossible-travel', 'unusual-hours']);
    expect(new Set(findings.map((f) => f.subject))).toEqual(new Set(['alice@example.com']));
  });
});
