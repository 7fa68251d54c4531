import type { Budget } from '../../core/outbox/budgets.js';

/** Telegram's send budgets (SPEC §8, reference/platform-facts.md): the agents' group and private chats alike. */
export const TELEGRAM_BUDGETS: Record<string, Budget> = {
  /**
   * New messages into one group, forum topics included (sendMessage,
   * sendDocument, createForumTopic): at most 20 per minute per group, which also
   * keeps 1 per second per chat. `burst: 1` spaces calls from the end of the
   * previous one, so arrivals never come closer whatever the request took.
   */
  'telegram:group': { minTimeMs: 3050, maxConcurrent: 1, burst: 1 },
  /** Header edits and reactions in one chat. No published figure; kept at the per-chat 1 per second. */
  'telegram:edit': { minTimeMs: 1050, maxConcurrent: 1, burst: 1 },
  /** One private chat (DMs to agents, replies to a Telegram customer): 1 message per second. */
  'telegram:chat': { minTimeMs: 1050, maxConcurrent: 1, burst: 1 },
};
