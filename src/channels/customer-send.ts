import type { Desk } from '../core/desk.js';
import type { Conversation } from '../core/model.js';
import type { DeliveryOutcome } from '../core/outbox/deliverer.js';
import type { OutboxItem, OutboxPayload } from '../core/outbox/items.js';

/** The head of a customer channel's run: its item, the reply and the conversation it answers. */
export interface CustomerSend {
  item: OutboxItem;
  payload: Extract<OutboxPayload, { op: 'customer.send' }>;
  conv: Conversation;
}

/**
 * What every customer channel's deliverer checks first: the head item is a
 * reply to a customer (`customer.send`) of a conversation that still exists.
 * Anything else is failed for good with the reason (`deliverer` names the
 * channel in it): no retry can make it deliverable.
 */
export async function customerSendAtHead(desk: { conversations: Pick<Desk['conversations'], 'get'> }, items: readonly OutboxItem[], deliverer: string): Promise<CustomerSend | { failed: DeliveryOutcome }> {
  const item = items[0]!;
  const payload = item.payload;
  if (payload.op !== 'customer.send') return { failed: { kind: 'failed', consumed: 1, reason: `${payload.op} given to the ${deliverer} deliverer` } };
  const conv = await desk.conversations.get(payload.convId);
  if (!conv) return { failed: { kind: 'failed', consumed: 1, reason: `conversation ${payload.convId} is gone` } };
  return { item, payload, conv };
}
