/**
 * The two send budgets the Cloud API enforces, kept per key in memory.
 * Rejected attempts do not consume budget.
 */

/**
 * At most `limit` events per key in any sliding `windowMs`. Models the
 * per-number throughput: 80 messages/s by default (Meta "Throughput" page,
 * platform-facts.md §1 [W9]).
 */
export class SlidingWindowBudget {
  readonly #events = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Takes one unit for `key` at `nowMs`; false when the window is full. */
  tryTake(key: string, nowMs: number): boolean {
    const recent = (this.#events.get(key) ?? []).filter((t) => t > nowMs - this.windowMs);
    if (recent.length >= this.limit) {
      this.#events.set(key, recent);
      return false;
    }
    recent.push(nowMs);
    this.#events.set(key, recent);
    return true;
  }

  clear(): void {
    this.#events.clear();
  }
}

/**
 * A token bucket per key: `burst` tokens, one more every `intervalMs`. Models
 * the pair rate, about one message every 6 s from a business number to the
 * same user, with short bursts borrowed from future quota (Meta's throughput
 * page as quoted by turn.io and learn.doubletick.io; platform-facts.md §1).
 */
export class TokenBucketBudget {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly intervalMs: number,
    private readonly burst: number,
  ) {}

  /** Takes one token for `key` at `nowMs`; false when the bucket is empty. */
  tryTake(key: string, nowMs: number): boolean {
    const bucket = this.#buckets.get(key) ?? { tokens: this.burst, at: nowMs };
    const refilled = Math.min(this.burst, bucket.tokens + (nowMs - bucket.at) / this.intervalMs);
    if (refilled < 1) {
      this.#buckets.set(key, { tokens: refilled, at: nowMs });
      return false;
    }
    this.#buckets.set(key, { tokens: refilled - 1, at: nowMs });
    return true;
  }

  clear(): void {
    this.#buckets.clear();
  }
}
