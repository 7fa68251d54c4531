import { validateTtl } from '../validate-ttl.js';

/** The expiry of a row written now with `ttlMs`, or null for none (the TTL is checked first). */
export function expiresAt(ttlMs: number | undefined): number | null {
  const ttl = validateTtl(ttlMs);
  return ttl === undefined ? null : Date.now() + ttl;
}
