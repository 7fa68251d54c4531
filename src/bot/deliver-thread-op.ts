import { headerRun } from '../core/outbox/coalesce.js';
import type { DeliveryOutcome } from '../core/outbox/deliverer.js';
import type { OutboxItem } from '../core/outbox/items.js';

/** What every messenger does with a conversation's thread, each in its own API. */
export interface ThreadDelivery {
  /** Customer messages (coalesced) and notices; opens the thread first when it is missing or stale. */
  postInThread(items: readonly OutboxItem[], convId: string): Promise<DeliveryOutcome>;
  /** Re-renders the header card; `run` consecutive header items collapse into this one edit. */
  editHeader(convId: string, run: number): Promise<DeliveryOutcome>;
  /** Marks an agent's message delivered (✓), or read by the customer (👀, a second reaction). */
  react(convId: string, messageId: string, mark: 'delivered' | 'read'): Promise<DeliveryOutcome>;
}

/**
 * Routes the thread ops, which mean the same on every messenger; undefined
 * for the ops a messenger handles its own way (private hints, DMs, customers).
 */
export function deliverThreadOp(items: readonly OutboxItem[], d: ThreadDelivery): Promise<DeliveryOutcome> | undefined {
  const p = items[0]!.payload;
  switch (p.op) {
    case 'thread.customer':
    case 'thread.notice':
      return d.postInThread(items, p.convId);
    case 'thread.header':
      return d.editHeader(p.convId, headerRun(items));
    case 'thread.delivered':
      return d.react(p.convId, p.messageId, p.mark ?? 'delivered');
    default:
      return undefined;
  }
}
