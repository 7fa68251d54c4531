import { describe, expect, it } from 'vitest';
import { largeExport, median } from '../../../src/core/security/rules/large-export.js';
import { DEFAULT_THRESHOLDS } from '../../../src/core/security/rules/types.js';
import { ACTOR, DAY, T0, event, input } from './fixtures.js';

const exported = (at: number, rows?: number) => event('data.export', at, rows === undefined ? {} : { rows });
/** Earlier exports, one a day before T0, oldest first. */
const habit = (...rows: number[]) => rows.map((r, i) => exported(T0 - (rows.length - i) * DAY, r));

describe('largeExport against the absolute threshold', () => {
  it('defaults to 10,000 rows and five times the usual volume', () => {
    expect(DEFAULT_THRESHOLDS.exportRows).toBe(10_000);
    expect(DEFAULT_THRESHOLDS.exportFactor).toBe(5);
  });

  it('stays quiet at 9,999 rows and fires at 10,000 as high severity, even for a first export', () => {
    expect(largeExport(input(exported(T0, 9_999)))).toBeUndefined();
    const finding = largeExport(input(exported(T0, 10_000)));
    expect(finding).toMatchObject({
      rule: 'large-export',
      subject: ACTOR,
      severity: 'high',
      summary: 'alice@example.com exported 10,000 rows, at or above the limit of 10,000.',
      evidence: { rows: 10_000, exportRows: 10_000, earlierExports: 0 },
    });
  });

  it('honours a configured row limit', () => {
    const thresholds = { ...DEFAULT_THRESHOLDS, exportRows: 500 };
    expect(largeExport(input(exported(T0, 499), [], { thresholds }))).toBeUndefined();
    expect(largeExport(input(exported(T0, 500), [], { thresholds }))?.severity).toBe('high');
  });
});

describe('largeExport against the actor\'s usual volume', () => {
  it('stays quiet below five times the median of three earlier exports and fires at it as medium severity', () => {
    const history = habit(100, 300, 200);
    expect(largeExport(input(exported(T0, 999), history))).toBeUndefined();
    const finding = largeExport(input(exported(T0, 1_000), history));
    expect(finding).toMatchObject({ severity: 'medium', summary: 'alice@example.com exported 1,000 rows, 5× their usual 200.' });
    expect(finding?.evidence).toMatchObject({ rows: 1_000, usualRows: 200, exportFactor: 5, earlierExports: 3 });
  });

  it('needs at least three earlier exports before judging against the usual volume', () => {
    expect(largeExport(input(exported(T0, 5_000), habit(100, 100)))).toBeUndefined();
    expect(largeExport(input(exported(T0, 5_000), habit(100, 100, 100)))?.severity).toBe('medium');
  });

  it('takes the mean of the two middle exports for an even count', () => {
    const history = habit(100, 200, 300, 400_000);
    expect(largeExport(input(exported(T0, 1_249), history))).toBeUndefined();
    expect(largeExport(input(exported(T0, 1_250), history))?.evidence['usualRows']).toBe(250);
  });

  it('reports the absolute limit at high severity when both thresholds are crossed', () => {
    const finding = largeExport(input(exported(T0, 20_000), habit(100, 100, 100)));
    expect(finding?.severity).toBe('high');
    expect(finding?.summary).toBe('alice@example.com exported 20,000 rows, at or above the limit of 10,000.');
  });

  it('does not judge against a usual volume of zero rows', () => {
    expect(largeExport(input(exported(T0, 50), habit(0, 0, 0)))).toBeUndefined();
  });

  it('learns only from earlier exports with a row count', () => {
    const history = [...habit(100, 100), exported(T0 - DAY / 2), event('config.change', T0 - 1, { rows: 1 }), exported(T0 + DAY, 100)];
    expect(largeExport(input(exported(T0, 5_000), history))).toBeUndefined();
  });

  it('honours a configured factor', () => {
    const thresholds = { ...DEFAULT_THRESHOLDS, exportFactor: 2 };
    expect(largeExport(input(exported(T0, 399), habit(200, 200, 200), { thresholds }))).toBeUndefined();
    expect(largeExport(input(exported(T0, 400), habit(200, 200, 200), { thresholds }))?.summary).toBe('alice@example.com exported 400 rows, 2× their usual 200.');
  });

  it('ignores exports without a row count and other events', () => {
    expect(largeExport(input(exported(T0)))).toBeUndefined();
    expect(largeExport(input(event('login.success', T0, { rows: 1_000_000 })))).toBeUndefined();
  });
});

describe('median', () => {
  it('takes the middle value of an odd count and the mean of the middle two of an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
});
