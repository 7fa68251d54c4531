import type { PrivateView } from '../core/overview/private-view.js';
import type { OnlineSeat, QueueOverview, WaitingRow } from '../core/overview/queue-overview.js';
import { t } from '../i18n/format.js';
import { formatDuration } from '../i18n/format-time.js';

type QueuesView = Extract<PrivateView, { kind: 'queues' }>;

/** A waiting conversation's line: who, from where, how long (the same words on every messenger). */
export function waitingRowText(lang: string, row: WaitingRow): string {
  return t(lang, 'queue.waiting_row', { customer: row.customerName ?? t(lang, 'queue.unknown_customer'), channel: row.channel, waited: formatDuration(lang, row.waitedMs) });
}

/** An online seat's line: how many chats of its maximum it holds. */
export function onlineRowText(lang: string, seat: OnlineSeat): string {
  return t(lang, 'queue.online_row', { name: seat.name, held: seat.held, max: seat.max });
}

/** "N conversations wait…", counting those not listed too. */
export function waitingHeaderText(lang: string, q: QueueOverview): string {
  return t(lang, 'queue.waiting_header', { n: q.waiting.length + q.moreWaiting });
}

/** Who is online, then the paused and away counts. */
export function presenceText(lang: string, q: QueueOverview): string {
  return [t(lang, 'queue.online_header', { n: q.online.length }), ...q.online.map((s) => `• ${onlineRowText(lang, s)}`), t(lang, 'queue.others', { paused: q.paused, away: q.away })].join('\n');
}

/**
 * The queues view as plain text: what messengers without a rich form show,
 * and the outbox item's fallback. Without buttons, it says how to claim.
 */
export function queueViewText(view: QueuesView): string {
  const { lang } = view;
  if (!view.queues.length) return t(lang, 'queue.none');
  const blocks = view.queues.map((q) => [
    t(lang, 'queue.title', { queue: q.queue, department: q.department }),
    waitingHeaderText(lang, q),
    ...q.waiting.map((r) => `• ${waitingRowText(lang, r)} (${r.convId})`),
    ...(q.moreWaiting ? [t(lang, 'queue.more', { n: q.moreWaiting })] : []),
    presenceText(lang, q),
  ].join('\n'));
  const anyWaiting = view.queues.some((q) => q.waiting.length);
  return [...blocks, ...(anyWaiting ? [t(lang, 'queue.claim_hint')] : [])].join('\n\n');
}
