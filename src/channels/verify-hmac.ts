import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks `sha256=<hex HMAC-SHA256(body, secret)>` in constant time. Used for
 * WhatsApp's `X-Hub-Signature-256` and the project's own `X-Signature`, before
 * the body is parsed.
 */
export function verifyHmacSha256(secret: string, rawBody: Buffer, header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  // Exactly 64 hex digits: Buffer.from(…, 'hex') would silently stop at the first non-hex character.
  if (!value || !/^sha256=[0-9a-fA-F]{64}$/.test(value)) return false;
  const given = Buffer.from(value.slice(7), 'hex');
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function signHmacSha256(secret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}
