import type { ChannelTraits } from './channel-traits.js';
import type { Conversation } from './model.js';

export interface WindowState {
  open: boolean;
  /** When the window closes (or closed), if the channel has one. */
  closesAt?: number;
}

/**
 * Whether an agent may still answer freely (SPEC §2): each channel declares its
 * window (WhatsApp: 24 hours from the customer's last message; outside it only
 * approved templates may be sent). A channel without one is always open.
 */
/** What a `window_closed` failure tells: the channel's label and window length, and when it closed. */
export function windowClosedDetail(channels: ChannelTraits, channel: string, closesAt?: number): Record<string, string | number | undefined> {
  const trait = channels[channel];
  return { channel: trait?.label ?? channel, ...(trait?.replyWindowMs ? { windowHours: trait.replyWindowMs / 3600_000 } : {}), closesAt };
}

export function replyWindow(conv: Pick<Conversation, 'channel' | 'lastCustomerAt'>, now: number, channels: ChannelTraits): WindowState {
  const span = channels[conv.channel]?.replyWindowMs;
  if (span === undefined) return { open: true };
  const closesAt = conv.lastCustomerAt + span;
  return { open: now < closesAt, closesAt };
}
