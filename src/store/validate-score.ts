/**
 * Checks a sorted-set score. Scores are ms timestamps or counts, so they must
 * be finite: Redis has no NaN (ZADD refuses it), and an infinite score would
 * sort past every finite range a caller asks for, which is never what a timer
 * or a queue meant.
 *
 * @throws RangeError for NaN and ±Infinity (a caller bug).
 */
export function validateScore(score: number): number {
  if (!Number.isFinite(score)) throw new RangeError(`a sorted-set score must be a finite number, got ${score}.`);
  return score;
}

/**
 * Checks the bounds and limit of a range query. Bounds may be ±Infinity (an
 * open end, Redis `-inf`/`+inf`) but not NaN; the limit is a count of members
 * (0 answers nothing), or undefined for all of them.
 *
 * @throws RangeError for a NaN bound or a limit that is negative or not an integer.
 */
export function validateRange(min: number, max: number, limit: number | undefined): void {
  if (Number.isNaN(min) || Number.isNaN(max)) throw new RangeError(`sorted-set range bounds must be numbers, got ${min}..${max}.`);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw new RangeError(`a sorted-set range limit must be a whole number >= 0, got ${limit}.`);
  }
}
