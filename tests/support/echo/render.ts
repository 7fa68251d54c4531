import type { HeaderCard } from '../../../src/core/header-card.js';

/** Echo has no buttons: the header card is text, its buttons written as the commands they stand for. */
export function renderHeader(card: HeaderCard): string {
  const status = card.status === 'claimed' ? `claimed by ${card.assignee ?? 'someone'}` : card.status;
  const window = card.windowClosesAt === undefined ? '' : card.windowOpen ? `\nReply window open until ${new Date(card.windowClosesAt).toISOString()}` : '\nReply window closed';
  return [
    `${card.customerName ?? 'Customer'} · ${card.channel} · queue ${card.queue}`,
    `Status: ${status}${window}`,
    card.buttons.map((b) => `[${b.action.charAt(0).toUpperCase()}${b.action.slice(1)}: !${b.action}]`).join(' '),
  ].join('\n');
}
