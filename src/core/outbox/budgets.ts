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
  /**
   * Discord: 50 requests/s per bot, for all routes and all replicas together (the
   * limiter is shared through Redis). Per-route buckets are learnt from the
   * X-RateLimit-* headers by @discordjs/rest, never hard-coded.
   */
  'discord:global': { minTimeMs: 20, maxConcurrent: 10 },
  /** The generic API's callbacks: the receiving system sets its own limits with 429/Retry-After. */
  'api:callback': { minTimeMs: 0, maxConcurrent: 4 },
  /**
   * Telegram: new messages into one group, forum topics included (sendMessage,
   * sendDocument, createForumTopic): at most 20 per minute per group, which also
   * keeps 1 per second per chat. `burst: 1` spaces calls from the end of the
   * previous one, so arrivals never come closer whatever the request took.
   */
  'telegram:group': { minTimeMs: 3050, maxConcurrent: 1, burst: 1 },
  /** Telegram: header edits and reactions in one chat. No published figure; kept at the per-chat 1 per second. */
  'telegram:edit': { minTimeMs: 1050, maxConcurrent: 1, burst: 1 },
  /** Telegram: one private chat (DMs to agents, replies to a Telegram customer): 1 message per second. */
  'telegram:chat': { minTimeMs: 1050, maxConcurrent: 1, burst: 1 },
};

/** The budget class of a destination key (`slack:post:C123` → `slack:post`). */
export function budgetOf(destination: string): Budget {
  const cls = destination.split(':').slice(0, 2).join(':');
  const budget = BUDGETS[cls];
  if (!budget) throw new Error(`no send budget for destination class '${cls}' (destination ${destination})`);
  return budget;
}
