/**
 * Send budgets of the platforms (SPEC §8, reference/platform-facts.md), as data.
 * A destination key starts with one of these classes; the runtime keeps one
 * bottleneck limiter per destination with the class's spacing.
 *
 * Spacing (`minTimeMs`, plus a GCRA `burst` where the platform allows one)
 * rather than bottleneck's reservoir: a reservoir refilled on bottleneck's own
 * timer is not aligned with the platform's bucket and can overrun it right
 * after an idle period; a theoretical-arrival-time schedule never does.
 */
export interface Budget {
  /** Minimum time between two calls to one destination (with `burst`: the steady interval). */
  minTimeMs: number;
  /** Calls in flight at once to one destination. */
  maxConcurrent: number;
  /**
   * Calls allowed back to back after a quiet period, as the platform's own
   * bucket allows (GCRA: a call may go `(burst − 1) × minTimeMs` ahead of its
   * theoretical time). Needs `maxConcurrent: 1`.
   */
  burst?: number;
}

export const BUDGETS: Readonly<Record<string, Budget>> = {
  /**
   * Slack chat.postMessage: about 1 message per second per channel, with a
   * short burst. 1020 ms leaves a 2 % margin against the platform's clock.
   */
  'slack:post': { minTimeMs: 1020, maxConcurrent: 1, burst: 3 },
  /** Slack Tier 3 methods (chat.update, reactions.add): 50+ per minute per workspace. */
  'slack:tier3': { minTimeMs: 1200, maxConcurrent: 1 },
  /** Slack Tier 4 methods (chat.postEphemeral, conversations.open): 100+ per minute. */
  'slack:tier4': { minTimeMs: 600, maxConcurrent: 1 },
  /** WhatsApp Cloud API: 80 messages/s per business number. */
  'whatsapp:number': { minTimeMs: 13, maxConcurrent: 8 },
  /** The generic API's callbacks: the receiving system sets its own limits with 429/Retry-After. */
  'api:callback': { minTimeMs: 0, maxConcurrent: 4 },
};

/** The budget class of a destination key (`slack:post:C123` → `slack:post`). */
export function budgetOf(destination: string): Budget {
  const cls = destination.split(':').slice(0, 2).join(':');
  const budget = BUDGETS[cls];
  if (!budget) throw new Error(`no send budget for destination class '${cls}' (destination ${destination})`);
  return budget;
}
