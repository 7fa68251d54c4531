import type { Desk } from '../../core/desk.js';
import type { DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxPayload } from '../../core/outbox/items.js';
import { cannotMessagePrivately, telegramErrorOf } from './bot-api-errors.js';

/** What a customer send needs from the bot that carries it (the one Telegram bot is both messenger and channel). */
export interface CustomerSendDeps {
  desk: Pick<Desk, 'conversations'>;
  /** Sends `text` in parts of the Bot API's size, one per call; true once the last went out. */
  sendInParts(itemId: string, chat: string, text: string): Promise<boolean>;
  /** Sends a reply with files, one file per call (see send-files.ts). */
  sendFiles(itemId: string, chat: string, p: Extract<OutboxPayload, { op: 'customer.send' }>): Promise<DeliveryOutcome>;
}

/**
 * An agent's reply to a customer of the `telegram` channel: a private
 * message to them. A customer who blocked the bot, or any 400 for the
 * message, is a failure said to the agents; other errors are retried.
 */
export async function sendToTelegramCustomer(d: CustomerSendDeps, itemId: string, p: Extract<OutboxPayload, { op: 'customer.send' }>): Promise<DeliveryOutcome> {
  const conv = await d.desk.conversations.get(p.convId);
  if (!conv) return { kind: 'failed', consumed: 1, reason: `conversation ${p.convId} is gone` };
  if (conv.channel !== 'telegram') return { kind: 'failed', consumed: 1, reason: `a ${conv.channel} reply given to the Telegram deliverer` };
  try {
    if (p.files?.length) return await d.sendFiles(itemId, conv.customer.id, p);
    return (await d.sendInParts(itemId, conv.customer.id, p.text)) ? { kind: 'delivered', consumed: 1 } : { kind: 'progress' };
  } catch (err) {
    const e = telegramErrorOf(err);
    if (cannotMessagePrivately(err) || (e && e.code === 400)) {
      const reason = cannotMessagePrivately(err) ? 'the customer blocked the bot or deleted their account' : e!.description;
      return { kind: 'failed', consumed: 1, reason: `customer.send: ${e!.code} ${e!.description}`, failure: { code: 'channel_error', detail: { channel: 'Telegram', reason } } };
    }
    throw err;
  }
}
