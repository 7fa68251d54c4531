import type { Budget } from '../../core/outbox/budgets.js';

/** Web chat's send budget: a store write and a socket push per message, no platform limit to keep under, so no limiter. */
export const WEBCHAT_BUDGETS: Record<string, Budget> = {
  'webchat:visitor': { minTimeMs: 0, maxConcurrent: 1, local: true },
};
