import { earlierEvents } from './earlier-events.js';
import type { Rule } from './types.js';

/** Earlier exports needed before the actor's usual volume means anything. */
export const MIN_EXPORTS_FOR_BASELINE = 3;

/**
 * A data export of `thresholds.exportRows` rows or more (default 10,000), or
 * of `thresholds.exportFactor` times (default 5) the median row count of the
 * actor's earlier exports or more, once there are at least 3 earlier exports
 * with a row count and their median is above zero. The absolute threshold is
 * `high`, the relative one alone `medium`. An export without a row count is
 * not judged.
 */
export const largeExport: Rule = (input) => {
  const { event, thresholds } = input;
  if (event.type !== 'data.export' || event.rows === undefined || !Number.isFinite(event.rows)) return undefined;
  const rows = event.rows;
  const earlier = earlierEvents(input, (e) => e.type === 'data.export' && e.rows !== undefined && Number.isFinite(e.rows));
  const usual = earlier.length >= MIN_EXPORTS_FOR_BASELINE ? median(earlier.map((e) => e.rows ?? 0)) : undefined;
  const overAbsolute = rows >= thresholds.exportRows;
  const overUsual = usual !== undefined && usual > 0 && rows >= thresholds.exportFactor * usual;
  if (!overAbsolute && !overUsual) return undefined;

  const reason = overUsual && !overAbsolute
    ? `${round1(rows / usual)}× their usual ${usual.toLocaleString('en-US')}`
    : `at or above the limit of ${thresholds.exportRows.toLocaleString('en-US')}`;
  return {
    rule: 'large-export',
    subject: event.actor,
    severity: overAbsolute ? 'high' : 'medium',
    summary: `${event.actor} exported ${rows.toLocaleString('en-US')} rows, ${reason}.`,
    evidence: {
      rows,
      exportRows: thresholds.exportRows,
      ...(usual === undefined ? {} : { usualRows: usual, exportFactor: thresholds.exportFactor }),
      earlierExports: earlier.length,
      at: new Date(event.at).toISOString(),
    },
  };
};

/** The middle value (mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? 0) + upper) / 2;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
