import { describe, expect, it } from 'vitest';
import { changeBurst } from '../../../src/core/security/rules/change-burst.js';
import { DEFAULT_THRESHOLDS } from '../../../src/core/security/rules/types.js';
import { ACTOR, MINUTE, T0, event, input, series } from './fixtures.js';

const WINDOW = 10 * MINUTE;

describe('changeBurst', () => {
  it('defaults to ten changes in ten minutes', () => {
    expect(DEFAULT_THRESHOLDS.changeBurst).toEqual({ count: 10, windowMs: WINDOW });
  });

  it('stays quiet at the ninth change and fires at the tenth, counting the current one', () => {
    const earlier = series('config.change', 9, 30_000, T0 - 30_000);
    expect(changeBurst(input(event('config.change', T0), earlier.slice(1)))).toBeUndefined();
    const finding = changeBurst(input(event('config.change', T0), earlier));
    expect(finding).toMatchObject({ rule: 'change-burst', subject: ACTOR, severity: 'medium', summary: 'alice@example.com made 10 config or permission changes within 10 minutes.' });
    expect(finding?.evidence).toMatchObject({ changes: 10, configChanges: 10, permissionChanges: 0 });
  });

  it('counts config and permission changes together', () => {
    const earlier = [...series('config.change', 5, MINUTE, T0 - MINUTE), ...series('permission.change', 4, 10_000, T0 - 10_000)];
    const finding = changeBurst(input(event('permission.change', T0), earlier));
    expect(finding?.evidence).toMatchObject({ changes: 10, configChanges: 5, permissionChanges: 5 });
  });

  it('counts a change one millisecond inside the window and not one exactly ten minutes old', () => {
    const recent = series('config.change', 8, MINUTE, T0 - MINUTE);
    expect(changeBurst(input(event('config.change', T0), [event('permission.change', T0 - WINDOW + 1), ...recent]))?.evidence['changes']).toBe(10);
    expect(changeBurst(input(event('config.change', T0), [event('permission.change', T0 - WINDOW), ...recent]))).toBeUndefined();
  });

  it('does not count other events and does not fire on them', () => {
    const earlier = [...series('config.change', 9, MINUTE, T0 - MINUTE), event('command.denied', T0 - 1)];
    expect(changeBurst(input(event('command.denied', T0), earlier))).toBeUndefined();
    expect(changeBurst(input(event('data.export', T0, { rows: 1 }), earlier))).toBeUndefined();
  });
});
