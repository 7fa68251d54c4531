/**
 * A continuous token bucket: `capacity` tokens at most, refilled at
 * `perSecond` tokens per second, measured on a millisecond clock.
 *
 * Slack describes its limits as "N per minute, bursts tolerated" (docs.slack.dev
 * /apis/web-api/rate-limits); a bucket whose capacity is the burst and whose
 * refill is the sustained rate models exactly that.
 */
export interface TokenBucket {
  /** Takes one token and returns 0, or returns the whole seconds until one is available (≥ 1). */
  take(nowMs?: number): number;
}

/** Creates a full bucket. */
export function createTokenBucket(capacity: number, perSecond: number): TokenBucket {
  let tokens = capacity;
  let last = Date.now();
  return {
    take(nowMs = Date.now()) {
      tokens = Math.min(capacity, tokens + ((nowMs - last) / 1000) * perSecond);
      last = nowMs;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      // Retry-After is whole seconds (RFC 9110 delay-seconds); round up so a
      // client that honours it never arrives early.
      return Math.max(1, Math.ceil((1 - tokens) / perSecond));
    },
  };
}
