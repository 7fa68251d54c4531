import { randomFillSync } from 'node:crypto';

/** Random bytes drawn from the kernel at once, then handed out: one call per 4 KiB instead of one per id. */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = POOL_BYTES;

/**
 * `bytes` random bytes as lower-case hex, from the same CSPRNG as
 * `randomBytes`. Ids and request references are drawn for every message, and
 * `randomBytes` for a few bytes costs a call into OpenSSL each time (1.5–3 %
 * of the main thread at a few hundred messages a second); a pool refilled
 * 4 KiB at a time does not (crypto.randomUUID pools the same way).
 */
export function randomHex(bytes: number): string {
  if (bytes > POOL_BYTES) return randomFillSync(Buffer.alloc(bytes)).toString('hex');
  if (used + bytes > POOL_BYTES) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
    used = 0;
  }
  const hex = pool.toString('hex', used, used + bytes);
  used += bytes;
  return hex;
}
