import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's replay window: |now − X-Slack-Request-Timestamp| ≤ 5 minutes (docs.slack.dev "Verifying requests from Slack"). */
export const SLACK_TIMESTAMP_WINDOW_SECONDS = 5 * 60;

export type SlackSignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'bad_timestamp' | 'stale' | 'future' | 'mismatch' };

/**
 * Checks `X-Slack-Signature: v0=<hex HMAC-SHA256(secret, "v0:" + timestamp +
 * ":" + raw body)>` in constant time, over the body's bytes as received.
 * The timestamp must be whole Unix seconds within the window in both
 * directions: bolt's `isValidSlackRequest` only refuses old ones, and a
 * request signed with a timestamp far in the future could be replayed until
 * that time comes.
 */
export function verifySlackSignature(
  signingSecret: string,
  rawBody: Buffer,
  headers: { timestamp: string | undefined; signature: string | undefined },
  nowMs: number = Date.now(),
): SlackSignatureCheck {
  const { timestamp, signature } = headers;
  if (!timestamp || !signature) return { ok: false, reason: 'missing' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const skew = Number(timestamp) - Math.floor(nowMs / 1000);
  if (skew < -SLACK_TIMESTAMP_WINDOW_SECONDS) return { ok: false, reason: 'stale' };
  if (skew > SLACK_TIMESTAMP_WINDOW_SECONDS) return { ok: false, reason: 'future' };
  if (!/^v0=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: 'mismatch' };
  const expected = createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(rawBody).digest();
  const given = Buffer.from(signature.slice(3), 'hex');
  return timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
