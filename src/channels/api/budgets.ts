import type { Budget } from '../../core/outbox/budgets.js';

/** The generic API's send budget. */
export const API_BUDGETS: Record<string, Budget> = {
  /** Callbacks: the receiving system sets its own limits with 429/Retry-After. */
  'api:callback': { minTimeMs: 0, maxConcurrent: 4 },
};
