import type { DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxItem, OutboxPayload } from '../../core/outbox/items.js';
import type { StorePort } from '../../core/ports.js';
import type { WebchatDeliveryDesk } from './deliver.js';
import type { StoredLine, VisitorHistory } from './history.js';

/**
 * An agent's edit or delete of a reply a visitor got (SPEC §13): one more
 * history line naming the line it changes by its history id, with the new
 * wording or `deleted`. The widget applies it to the old line and draws
 * nothing of its own, so a reload or a resumed socket replays the history
 * and shows the changed state once. Appended with the item's mark in one
 * atomic write, like a reply, so a retry appends nothing twice.
 */
export async function deliverWebchatChange(
  deps: { desk: WebchatDeliveryDesk; store: StorePort; history: VisitorHistory; notify: (visitorId: string) => void; markTtlMs: number },
  item: OutboxItem, p: Extract<OutboxPayload, { op: 'customer.change' }>,
): Promise<DeliveryOutcome> {
  const change = p.text === undefined ? 'delete' : 'edit';
  const conv = await deps.desk.conversations.get(p.convId);
  if (!conv) return { kind: 'failed', consumed: 1, reason: `conversation ${p.convId} is gone` };
  const visitorId = conv.customer.id;
  const mark = `webchat:sent:${item.id}`;
  if (!(await deps.store.getString(mark))) {
    const target = await deps.history.findReply(visitorId, conv.id, p.agentMessageId);
    if (target === undefined) {
      const reason = 'the reply itself never reached the visitor';
      return { kind: 'failed', consumed: 1, reason: `customer.change: ${reason}`, failure: { code: 'reply_change_unsupported', detail: { channel: 'Web chat', change, reason } } };
    }
    const line: StoredLine = { author: 'agent', text: p.text ?? '', at: item.createdAt, changes: target, ...(p.text === undefined ? { deleted: true as const } : {}) };
    await deps.store.writeAtomically([
      ...deps.history.appendOps(visitorId, line),
      { kind: 'setString', key: mark, value: '1', ttlMs: deps.markTtlMs },
    ]);
  }
  deps.notify(visitorId);
  return { kind: 'delivered', consumed: 1 };
}
