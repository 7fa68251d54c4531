import type { Desk } from '../../core/desk.js';
import type { DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxPayload } from '../../core/outbox/items.js';
import type { CarriedSend } from '../../bot/messenger-adapter.js';
import type { ReplyParts } from './reply-parts.js';
import { plainPrefixed } from '../../core/agent-identity.js';
import type { TelegramFileSender } from './send-files.js';

/**
 * An agent's reply to a customer of the `telegram` channel: a private
 * message to them, sent by the messenger's bot (the one Telegram bot is both
 * messenger and channel), its parts' message ids kept. A refusal the bot names (the customer blocked the
 * bot, any 400 for the message) is a failure said to the agents; other errors
 * are retried.
 */
export async function sendToTelegramCustomer(desk: Pick<Desk, 'conversations'>, parts: ReplyParts, via: CarriedSend, itemId: string, sent: Extract<OutboxPayload, { op: 'customer.send' }>, sendFiles?: TelegramFileSender): Promise<DeliveryOutcome> {
  // A private chat shows the bot as sender: the queue's agent prefix, plain (`Ana · Acme: …`), names the agent.
  const p = { ...sent, text: plainPrefixed(sent.text, sent.identity?.prefix) };
  const conv = await desk.conversations.get(p.convId);
  if (!conv) return { kind: 'failed', consumed: 1, reason: `conversation ${p.convId} is gone` };
  if (conv.channel !== 'telegram') return { kind: 'failed', consumed: 1, reason: `a ${conv.channel} reply given to the Telegram deliverer` };
  // Each part's message id is kept: an agent's later edit or delete changes exactly those messages.
  const record = async (index: number, id: string) => { if (p.agentMessageId) await parts.sent(conv.id, p.agentMessageId, index, id); };
  try {
    // A reply with files: one file per call (send-files.ts); Bot API refusals are classified below like a text's.
    if (p.files?.length && sendFiles) return await sendFiles(via, itemId, conv.customer.id, p);
    return (await via.sendInParts(itemId, conv.customer.id, p.text, record)) ? { kind: 'delivered', consumed: 1 } : { kind: 'progress' };
  } catch (err) {
    const refused = via.refusal(err);
    if (!refused) throw err;
    return { kind: 'failed', consumed: 1, reason: `customer.send: ${refused.code}`, failure: { code: 'channel_error', detail: { channel: 'Telegram', reason: refused.reason } } };
  }
}
