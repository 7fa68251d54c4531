import type { Budget } from '../../core/outbox/budgets.js';

/** Slack's send budgets (SPEC §8, reference/platform-facts.md). */
export const SLACK_BUDGETS: Record<string, Budget> = {
  /**
   * Slack chat.postMessage: about 1 message per second per channel, with a
   * short burst. 1020 ms leaves a 2 % margin against the platform's clock.
   * The budget is a rate, not a mutex: posts to different threads of a channel
   * may be on the wire together (each reserves its place in the schedule
   * first); order is kept per conversation, whose posts never overlap.
   */
  'slack:post': { minTimeMs: 1020, maxConcurrent: 6, burst: 3 },
  /** Slack Tier 3 methods (chat.update, reactions.add): 50+ per minute per workspace. */
  'slack:tier3': { minTimeMs: 1200, maxConcurrent: 1 },
  /** Slack Tier 4 methods (chat.postEphemeral, conversations.open): 100+ per minute. */
  'slack:tier4': { minTimeMs: 600, maxConcurrent: 1 },
};
