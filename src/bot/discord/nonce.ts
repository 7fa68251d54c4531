import { createHash } from 'node:crypto';

/**
 * Discord's idempotency key for Create Message: with `enforce_nonce`, a second
 * post with the same nonce by the same author within a few minutes returns
 * the first message instead of creating another (developers/resources/message.mdx;
 * a nonce is at most 25 characters). Derived from the outbox item and the part
 * being posted, so a re-send after a crash between Discord's answer and the
 * outbox's record is answered with the message already there.
 */
export function messageNonce(itemId: string, part: number): { nonce: string; enforce_nonce: true } {
  const nonce = createHash('sha256').update(`${itemId}:${part}`).digest('base64url').slice(0, 25);
  return { nonce, enforce_nonce: true };
}
