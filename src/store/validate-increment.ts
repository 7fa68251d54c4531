/**
 * Checks a counter increment. Redis INCRBY takes a 64-bit integer and SQLite
 * adds integers exactly only up to 2^53 on the way back into JavaScript, so
 * an increment is a safe integer.
 *
 * @throws RangeError for a fraction, NaN, ±Infinity or an unsafe integer (a caller bug).
 */
export function validateIncrement(by: number): number {
  if (!Number.isSafeInteger(by)) throw new RangeError(`a counter increment must be a safe integer, got ${by}.`);
  return by;
}
