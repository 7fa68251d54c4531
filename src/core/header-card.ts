import type { Conversation } from './model.js';
import { channelLabel, type ChannelTraits } from './channel-traits.js';
import { replyWindow } from './reply-window.js';
import { isOpen, nextOpening, type BusinessHours } from './hours/business-hours.js';

/**
 * The conversation's header card, platform-neutral (SPEC §5): every messenger
 * renders this one view (Block Kit, inline keyboard, components), so the three
 * can never disagree on what a header says. It carries facts and the
 * language to say them in; the words are made where it is rendered.
 */
export interface HeaderCard {
  convId: string;
  /** The customer's name, when the channel gave one. */
  customerName?: string;
  channel: string;
  queue: string;
  status: 'unclaimed' | 'claimed' | 'closed';
  assignee?: string;
  /** When the channel's reply window closes (absent: no window). */
  windowClosesAt?: number;
  windowOpen: boolean;
  /** Replies the channel still allows before the customer writes again (WeChat), while the window is open. */
  repliesLeft?: number;
  buttons: { action: 'claim' | 'release' | 'close' | 'reopen'; style?: 'primary' | 'danger' }[];
  /** Outside the queue's hours: when it opens again (`at` absent: no opening within a year), on the hours' wall clock. */
  closedUntil?: { at: number | undefined; timeZone: string };
  /** The customer's tags (`vip`), then the conversation's (`#urgent`, `#new`, `#follow-up`): absent when there are none. */
  tags?: string[];
  /** What everyone in the queue's channel reads: the queue's language (`en`, `zh-CN`). */
  lang: string;
}

/** A customer waiting this long for an answer is a `follow-up` (SPEC §7). */
export const FOLLOW_UP_MS = 48 * 3600_000;

/** The tags a header shows: the customer's as they are, the conversation's with `#`, and `#follow-up` when the customer has waited over 48 h. */
export function headerTags(conv: Conversation, now: number): string[] {
  const waiting = conv.status === 'open' && conv.lastCustomerAt > (conv.lastAgentAt ?? 0) && now - conv.lastCustomerAt > FOLLOW_UP_MS;
  // `#opted-out`: the customer wrote STOP or 退订, so no template goes to them until they write again.
  const convTags = [...(conv.tags ?? []), ...(waiting ? ['follow-up'] : []), ...(conv.optedOutAt !== undefined ? ['opted-out'] : [])];
  return [...(conv.customer.tags ?? []), ...[...new Set(convTags)].map((tag) => `#${tag}`)];
}

export function headerCard(conv: Conversation, assigneeName: string | undefined, now: number, channels: ChannelTraits, lang = 'en', hours?: BusinessHours): HeaderCard {
  const general = replyWindow(conv, now, channels);
  // A channel's allowance ends with its own window (WeChat: 48 h from the customer's send_time).
  const allowance = conv.replyAllowance;
  const window = allowance ? { open: now < allowance.closesAt, closesAt: allowance.closesAt } : general;
  // Outside its queue's hours an open conversation's header says until when (SPEC §7).
  const closedUntil = hours && conv.status === 'open' && !isOpen(hours, now) ? { at: nextOpening(hours, now), timeZone: hours.timeZone } : undefined;
  const tags = headerTags(conv, now);
  const status = conv.status === 'closed' ? 'closed' : assigneeName ? 'claimed' : 'unclaimed';
  const buttons: HeaderCard['buttons'] =
    status === 'closed'
      ? [{ action: 'reopen' }]
      : [
          ...(status === 'unclaimed' ? [{ action: 'claim' as const, style: 'primary' as const }] : []),
          ...(status === 'claimed' ? [{ action: 'release' as const }] : []),
          { action: 'close', style: 'danger' },
        ];
  return {
    convId: conv.id,
    ...(conv.customer.name ? { customerName: conv.customer.name } : {}),
    channel: channelLabel(channels, conv),
    queue: conv.queue,
    status,
    ...(assigneeName ? { assignee: assigneeName } : {}),
    ...(window.closesAt !== undefined ? { windowClosesAt: window.closesAt } : {}),
    windowOpen: window.open,
    ...(allowance && window.open ? { repliesLeft: allowance.left } : {}),
    buttons,
    ...(tags.length ? { tags } : {}),
    ...(closedUntil ? { closedUntil } : {}),
    lang,
  };
}
