import type { Budget } from '../../core/outbox/budgets.js';

/** Discord's send budget (SPEC §8, reference/platform-facts.md). */
export const DISCORD_BUDGETS: Record<string, Budget> = {
  /**
   * 50 requests/s per bot, for all routes and all replicas together (the
   * limiter is shared through Redis). Per-route buckets are learnt from the
   * X-RateLimit-* headers by @discordjs/rest, never hard-coded.
   */
  'discord:global': { minTimeMs: 20, maxConcurrent: 10 },
};
