import type { Desk } from '../../core/desk.js';
import type { DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxPayload } from '../../core/outbox/items.js';
import { splitText } from '../../core/outbox/coalesce.js';
import { plainPrefixed } from '../../core/agent-identity.js';
import type { CarriedChange } from '../../bot/messenger-adapter.js';
import type { ReplyParts } from './reply-parts.js';

/**
 * An agent's edit (`text`) or delete of a reply a Telegram customer got
 * (SPEC §13): editMessageText or deleteMessage of the bot's own messages in
 * the private chat, one call per attempt, made by the messenger's bot. An
 * edit longer than the reply's parts sends the rest as new messages; a
 * shorter one deletes the parts left over. A message that already says it,
 * or is gone, counts as done; other refusals are told to the thread.
 */
export async function changeTelegramReply(desk: Pick<Desk, 'conversations'>, parts: ReplyParts, via: CarriedChange, itemId: string, p: Extract<OutboxPayload, { op: 'customer.change' }>): Promise<DeliveryOutcome> {
  const change = p.text === undefined ? 'delete' : 'edit';
  const conv = await desk.conversations.get(p.convId);
  if (!conv) return { kind: 'failed', consumed: 1, reason: `conversation ${p.convId} is gone` };
  const ids = await parts.of(conv.id, p.agentMessageId);
  const refused = (reason: string): DeliveryOutcome => ({ kind: 'failed', consumed: 1, reason: `customer.change: ${reason}`, failure: { code: 'reply_change_unsupported', detail: { channel: 'Telegram', change, reason } } });
  if (!ids.length) return refused('the reply itself never reached the customer');
  const chat = conv.customer.id;
  const wording = p.text === undefined ? [] : splitText(plainPrefixed(p.text, p.prefix), via.textLimit);
  try {
    const done = await via.step(itemId, Math.max(ids.length, wording.length), async (i) => {
      try {
        if (i < ids.length && i < wording.length) await via.edit(chat, ids[i]!, wording[i]!);
        else if (i < ids.length) await via.remove(chat, ids[i]!);
        else await parts.sent(conv.id, p.agentMessageId, i, await via.send(chat, wording[i]!));
      } catch (err) {
        if (!via.alreadyDone(err)) throw err;
      }
    });
    return done ? { kind: 'delivered', consumed: 1 } : { kind: 'progress' };
  } catch (err) {
    const refusal = via.refusal(err);
    if (!refusal) throw err;
    return refused(refusal.reason);
  }
}
