/**
 * Checks a TTL given to the store. `undefined` means "never expires"; anything
 * else must be a positive, finite number of milliseconds. Fractions are rounded
 * up because Redis `PX` takes an integer and a TTL must never get shorter.
 *
 * @throws RangeError for 0, negative, NaN or infinite values (a caller bug:
 *   Redis would reject `PX 0`, and keyv would silently treat 0 as "no TTL").
 */
export function validateTtl(ttlMs: number | undefined): number | undefined {
  if (ttlMs === undefined) return undefined;
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`ttlMs must be a positive number of milliseconds, got ${ttlMs}.`);
  }
  return Math.ceil(ttlMs);
}
