import type { Conversation } from './model.js';
import { channelLabel, type ChannelTraits } from './channel-traits.js';
import { replyWindow } from './reply-window.js';

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
  buttons: { action: 'claim' | 'release' | 'close' | 'reopen'; style?: 'primary' | 'danger' }[];
  /** What everyone in the queue's channel reads: the queue's language (`en`, `zh-CN`). */
  lang: string;
}

export function headerCard(conv: Conversation, assigneeName: string | undefined, now: number, channels: ChannelTraits, lang = 'en'): HeaderCard {
  const window = replyWindow(conv, now, channels);
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
    buttons,
    lang,
  };
}
