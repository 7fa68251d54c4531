import type { Budget } from '../../core/outbox/budgets.js';

/** WhatsApp Cloud API's send budget (SPEC §8). */
export const WHATSAPP_BUDGETS: Record<string, Budget> = {
  /** 80 messages/s per business number. */
  'whatsapp:number': { minTimeMs: 13, maxConcurrent: 8 },
};
