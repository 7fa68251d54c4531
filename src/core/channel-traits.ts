import type { FileLimits } from './files/file-limits.js';

/**
 * What the core needs to know of each customer channel, by its id: declared by
 * the channel modules (src/channels/<channel>/module.ts) and handed in by the
 * composition root, so the core names no channel.
 */
export interface ChannelTrait {
  /** How the header card names the channel. */
  label: string;
  /** The header adds the account (`API (crm)`): the channel is one door for many systems. */
  labelWithAccount?: boolean;
  /** How long after the customer's last message an agent may answer freely; absent: no window. */
  replyWindowMs?: number;
  /** An agent's edit or delete of a sent reply reaches the customer (Telegram, web chat); absent: it is answered in the thread. */
  changesReplies?: boolean;
  /** The files an agent may send its customers (types and sizes); absent: none. */
  fileLimits?: FileLimits;
}

export type ChannelTraits = Readonly<Record<string, ChannelTrait>>;

/** A conversation's channel as the header card names it (`WhatsApp`, `API (crm)`); the channel id when undeclared. */
export function channelLabel(channels: ChannelTraits, conv: { channel: string; account?: string }): string {
  const trait = channels[conv.channel];
  if (!trait) return conv.channel;
  return trait.labelWithAccount ? `${trait.label} (${conv.account})` : trait.label;
}
