import type { HeaderCard } from '../../core/header-card.js';
import { t } from '../../i18n/format.js';
import { formatTime } from '../../i18n/format-time.js';

/** The status line of a conversation's header, the same words on every messenger, in the card's language. */
export function statusLabel(card: Pick<HeaderCard, 'status' | 'assignee'> & { lang?: string }): string {
  switch (card.status) {
    case 'unclaimed': return t(card.lang, 'header.status_unclaimed');
    case 'claimed': return t(card.lang, 'header.status_claimed', { assignee: card.assignee ?? '' });
    case 'closed': return t(card.lang, 'header.status_closed');
  }
}

/** The customer's name on a header, or "Customer" in the card's language. */
export function customerLabel(card: Pick<HeaderCard, 'customerName'> & { lang?: string }): string {
  return card.customerName ?? t(card.lang, 'word.customer');
}

/** A header button's words in the card's language. */
export function buttonLabel(card: { lang?: string }, action: HeaderCard['buttons'][number]['action'] | 'transfer' | 'escalate'): string {
  return t(card.lang, `button.${action}`);
}

/** "closed until …" on a header outside its queue's hours, in the card's language; undefined when open. */
/** ` · 3 replies left` after the window's time, for channels that count replies (WeChat); empty otherwise. */
export function repliesLeftLabel(card: Pick<HeaderCard, 'repliesLeft'> & { lang?: string }): string {
  return card.repliesLeft === undefined ? '' : t(card.lang, 'header.replies_left', { n: card.repliesLeft });
}

export function closedLabel(card: Pick<HeaderCard, 'closedUntil'> & { lang?: string }): string | undefined {
  const c = card.closedUntil;
  if (!c) return undefined;
  return c.at === undefined ? t(card.lang, 'header.closed') : t(card.lang, 'header.closed_until', { time: formatTime(card.lang, c.at, c.timeZone) });
}
