import type { HeaderCard } from '../../core/header-card.js';

/** The status line of a conversation's header, the same words on every messenger. */
export function statusLabel(card: Pick<HeaderCard, 'status' | 'assignee'>): string {
  switch (card.status) {
    case 'unclaimed': return '🟡 Waiting for an agent';
    case 'claimed': return `🟢 Claimed by ${card.assignee}`;
    case 'closed': return '⚪ Closed';
  }
}
