import { describe, expect, it } from 'vitest';
import { denialBurst } from '../../../src/core/security/rules/denial-burst.js';
import { DEFAULT_THRESHOLDS } from '../../../src/core/security/rules/types.js';
import { ACTOR, MINUTE, T0, event, input } from './fixtures.js';

const WINDOW = 10 * MINUTE;
const denied = (at: number, action = 'data.export') => event('command.denied', at, { source: 'bot', details: { action, target: '' } });

describe('denialBurst', () => {
  it('defaults to three refusals in ten minutes', () => {
    expect(DEFAULT_THRESHOLDS.denialBurst).toEqual({ count: 3, windowMs: WINDOW });
  });

  it('stays quiet at the second refusal and fires at the third, counting the current one', () => {
    expect(denialBurst(input(denied(T0), [denied(T0 - 2 * MINUTE)]))).toBeUndefined();
    const finding = denialBurst(input(denied(T0, 'seat.assign'), [denied(T0 - 5 * MINUTE), denied(T0 - 2 * MINUTE)]));
    expect(finding).toMatchObject({ rule: 'denial-burst', subject: ACTOR, severity: 'medium', summary: 'alice@example.com was refused 3 commands within 10 minutes.' });
    expect(finding?.evidence).toMatchObject({ denials: 3, lastAction: 'seat.assign', firstAt: new Date(T0 - 5 * MINUTE).toISOString() });
  });

  it('counts a refusal one millisecond inside the window and not one exactly ten minutes old', () => {
    expect(denialBurst(input(denied(T0), [denied(T0 - WINDOW + 1), denied(T0 - MINUTE)]))?.evidence['denials']).toBe(3);
    expect(denialBurst(input(denied(T0), [denied(T0 - WINDOW), denied(T0 - MINUTE)]))).toBeUndefined();
  });

  it('does not count failed logins or changes as refusals', () => {
    const earlier = [event('login.failure', T0 - 2 * MINUTE), event('config.change', T0 - MINUTE), denied(T0 - 30_000)];
    expect(denialBurst(input(denied(T0), earlier))).toBeUndefined();
    expect(denialBurst(input(event('login.failure', T0), [denied(T0 - 2), denied(T0 - 1)]))).toBeUndefined();
  });
});
