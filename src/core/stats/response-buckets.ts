/**
 * First-response times are kept as a fixed histogram of counters, not as a
 * list of every time: recording is one INCR, and p50/p90 over any range
 * reads the same few counters per queue and day however busy the desk was
 * (a list would be read whole on every `/stats`). The price is precision:
 * a percentile is the upper bound of its bucket ("90 % answered within
 * 2 minutes"), with steps of about 20 % (1 s apart below 10 s).
 */

/** Upper bounds (inclusive, ms) of every bucket but the last, which holds everything slower than a day. */
export const BUCKET_BOUNDS_MS: readonly number[] = [
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20, 25, 30, 40, 50, 60, 75, 90, 105, 120, 150, 180, 210, 240, 300, 360, 420, 480,
  600, 720, 900, 1200, 1500, 1800, 2400, 3000, 3600, 4500, 5400, 7200, 9000, 10800, 14400, 18000, 21600, 28800, 36000, 43200,
  57600, 72000, 86400,
].map((s) => s * 1000);

/** How many buckets there are: one per bound, and the overflow. */
export const BUCKET_COUNT = BUCKET_BOUNDS_MS.length + 1;

/** The bucket a time falls in (negative times, a clock step back, count as 0). */
export function bucketOf(ms: number): number {
  const i = BUCKET_BOUNDS_MS.findIndex((bound) => Math.max(0, ms) <= bound);
  return i === -1 ? BUCKET_BOUNDS_MS.length : i;
}

/**
 * The `p`-th percentile (0 < p ≤ 1) of the times counted in `counts` (one
 * count per bucket): the upper bound of the bucket holding the
 * ⌈p·n⌉-th fastest time; in the overflow bucket, its lower bound (a day).
 * Undefined when nothing was counted.
 */
export function percentileOf(counts: readonly number[], p: number): number | undefined {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= 0) return undefined;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i] ?? 0;
    if (seen >= rank) return BUCKET_BOUNDS_MS[Math.min(i, BUCKET_BOUNDS_MS.length - 1)];
  }
  return BUCKET_BOUNDS_MS[BUCKET_BOUNDS_MS.length - 1];
}
