import type { Desk } from '../core/desk.js';
import type { DeliveryOutcome } from '../core/outbox/deliverer.js';
import type { OutboxItem } from '../core/outbox/items.js';
import type { Failure } from '../core/result.js';
import { queueLanguage } from '../i18n/choose-language.js';
import { describeFailure } from './describe-failure.js';

/**
 * After the outbox finished items: a reply that reached the customer gets its
 * ✓ in the thread; one that could not be sent is explained in the thread, with
 * what to do (SPEC §5).
 */
export async function afterDelivery(desk: Desk, items: readonly OutboxItem[], outcome: DeliveryOutcome): Promise<void> {
  for (const item of items) {
    const p = item.payload;
    // Replies, templates and changes of a reply: each failure is said in the thread.
    if (p.op !== 'customer.send' && p.op !== 'customer.template' && p.op !== 'customer.change') continue;
    const conv = await desk.conversations.get(p.convId);
    if (!conv) continue;
    if (outcome.kind === 'delivered') {
      if (p.op === 'customer.send' && p.agentMessageId) await desk.markDelivered(conv, p.agentMessageId);
    } else if (outcome.kind === 'failed') {
      await reportSendFailure(desk, conv.id, outcome.failure ?? { code: 'channel_error', detail: { reason: outcome.reason } });
    }
  }
}

/** A reply did not reach the customer: say so in the thread. */
export async function reportSendFailure(desk: Desk, convId: string, failure: Failure): Promise<void> {
  const conv = await desk.conversations.get(convId);
  if (conv) await desk.notice(conv, describeFailure(failure, { lang: queueLanguage(desk.settings, conv.queue) }));
}
