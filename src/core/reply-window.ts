import type { Conversation, CustomerChannelName } from './model.js';

/**
 * How long after the customer's last message an agent may still answer freely
 * (SPEC §2). WhatsApp: 24 hours (a customer message opens or resets the
 * customer-service window; outside it only approved templates may be sent).
 * The generic API has no window.
 */
export const REPLY_WINDOW_MS: Readonly<Record<CustomerChannelName, number | undefined>> = {
  whatsapp: 24 * 3600_000,
  api: undefined,
  telegram: undefined,
};

export interface WindowState {
  open: boolean;
  /** When the window closes (or closed), if the channel has one. */
  closesAt?: number;
}

export function replyWindow(conv: Pick<Conversation, 'channel' | 'lastCustomerAt'>, now: number): WindowState {
  const span = REPLY_WINDOW_MS[conv.channel];
  if (span === undefined) return { open: true };
  const closesAt = conv.lastCustomerAt + span;
  return { open: now < closesAt, closesAt };
}
