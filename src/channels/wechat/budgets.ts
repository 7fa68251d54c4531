import type { Budget } from '../../core/outbox/budgets.js';

/**
 * WeChat's budget is a quota, not a rate (5 messages per customer message
 * within 48 h, enforced in deliver.ts); the API's own frequency limits
 * (45009) are far above a desk's replies. This keeps one account's sends
 * gentle and lets a few customers' replies overlap.
 */
export const WECHAT_BUDGETS: Record<string, Budget> = {
  'wechat:account': { minTimeMs: 20, maxConcurrent: 4 },
};
