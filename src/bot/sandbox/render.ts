import type { HeaderCard } from '../../core/header-card.js';
import { formatTime } from '../../i18n/format-time.js';
import { t } from '../../i18n/format.js';
import { buttonLabel, closedLabel, customerLabel, repliesLeftLabel, statusLabel } from '../kit/status-label.js';
import type { HeaderView } from './board.js';

type LabelKey = 'header.customer' | 'header.channel' | 'header.queue' | 'header.status' | 'header.assignee' | 'header.window' | 'header.tags' | 'header.hours';

/**
 * The header card in words, as the page shows it: the same facts and
 * catalogue texts as Slack's Block Kit, as label and value pairs. Times are
 * written in UTC, like every private text of the desk (seats have no time
 * zone yet).
 */
export function renderHeader(card: HeaderCard): HeaderView {
  const { lang } = card;
  const customer = customerLabel(card);
  const closed = closedLabel(card);
  const window = card.windowClosesAt === undefined
    ? t(lang, 'header.window_none')
    : t(lang, card.windowOpen ? 'header.window_closes' : 'header.window_closed', { time: formatTime(lang, card.windowClosesAt) });
  const field = (key: LabelKey, value: string) => ({ label: t(lang, key), value });
  return {
    title: `${customer} · ${card.channel}`,
    fields: [
      field('header.customer', customer),
      field('header.channel', card.channel),
      field('header.queue', card.queue),
      field('header.status', statusLabel(card)),
      field('header.assignee', card.assignee ?? '—'),
      field('header.window', `${window}${repliesLeftLabel(card)}`),
      ...(card.tags ? [field('header.tags', card.tags.join(' '))] : []),
      ...(closed ? [field('header.hours', closed)] : []),
    ],
    buttons: card.buttons.map((b) => ({ action: b.action, label: buttonLabel(card, b.action), ...(b.style ? { style: b.style } : {}) })),
    hint: t(lang, 'header.hint'),
  };
}

