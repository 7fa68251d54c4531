/** Order statistics of a sample, in the sample's unit. */
export interface Distribution {
  count: number;
  min: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

/**
 * Nearest-rank percentiles (the value at rank ⌈p·n⌉ of the sorted sample), so
 * every reported figure is one that was actually measured.
 */
export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const rank = (p: number) => (n ? sorted[Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1))]! : null);
  return {
    count: n,
    min: n ? sorted[0]! : null,
    p50: rank(0.5),
    p90: rank(0.9),
    p99: rank(0.99),
    max: n ? sorted[n - 1]! : null,
    mean: n ? Math.round((sorted.reduce((a, b) => a + b, 0) / n) * 100) / 100 : null,
  };
}
