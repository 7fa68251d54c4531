import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { randomHex } from '../../runtime/random-hex.js';

/**
 * Who a visitor is (SPEC §12). Anonymous: a random 256-bit session token the
 * widget keeps; the desk stores only its SHA-256, so a store dump cannot be
 * replayed as a session. Logged in: the site passes `user_id` and
 * `hex(HMAC-SHA256(key = WEBCHAT_IDENTITY_SECRET, message = user_id))`, and the
 * same id joins the same conversation from any device.
 */
export function newSessionToken(): string {
  return randomHex(32);
}

/** What is stored for a token: its SHA-256, hex. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A token as the widget sends it: 64 lower-case hex digits, nothing else. */
export function isWellFormedToken(token: unknown): token is string {
  return typeof token === 'string' && /^[0-9a-f]{64}$/.test(token);
}

/** The hash a site computes for a logged-in user id. */
export function signUserId(userId: string, secret: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

/** Constant-time check of a site's `data-user-hash`; upper-case hex is accepted too. */
export function verifyUserHash(userId: string, hash: string, secret: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(hash)) return false;
  const given = Buffer.from(hash, 'hex');
  const expected = createHmac('sha256', secret).update(userId, 'utf8').digest();
  return timingSafeEqual(given, expected);
}

/** Visitor ids: the customer id of the conversation. */
export const visitorIds = {
  anonymous: () => `anon-${randomHex(12)}`,
  user: (userId: string) => `user:${userId}`,
};
