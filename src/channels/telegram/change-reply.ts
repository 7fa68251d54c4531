import type { Desk } from '../../core/desk.js';
import type { DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxPayload } from '../../core/outbox/items.js';
import { splitText } from '../../core/outbox/coalesce.js';
import { cannotMessagePrivately, telegramErrorOf } from './bot-api-errors.js';
import type { ReplyParts } from './reply-parts.js';

/** The Bot API calls a change makes in the customer's private chat, and the deliverer's part counter. */
export interface ChangeReplyDeps {
  desk: Pick<Desk, 'conversations'>;
  parts: ReplyParts;
  edit(chat: string, messageId: number, text: string): Promise<void>;
  remove(chat: string, messageId: number): Promise<void>;
  send(chat: string, text: string): Promise<number>;
  /** One call per attempt, counted in the store like a long text's parts (see kit/part-progress.ts). */
  step(itemId: string, total: number, call: (index: number) => Promise<void>): Promise<boolean>;
  textLimit: number;
}

/**
 * An agent's edit (`text`) or delete of a reply a Telegram customer got
 * (SPEC §13): editMessageText or deleteMessage of the bot's own messages in
 * the private chat, one call per attempt. An edit longer than the reply's
 * parts sends the rest as new messages; a shorter one deletes the parts left
 * over. "message is not modified" and a message the customer deleted
 * already count as done; other refusals are told to the thread.
 */
export async function changeTelegramReply(d: ChangeReplyDeps, itemId: string, p: Extract<OutboxPayload, { op: 'customer.change' }>): Promise<DeliveryOutcome> {
  const change = p.text === undefined ? 'delete' : 'edit';
  const conv = await d.desk.conversations.get(p.convId);
  if (!conv) return { kind: 'failed', consumed: 1, reason: `conversation ${p.convId} is gone` };
  const ids = await d.parts.of(conv.id, p.agentMessageId);
  const refused = (reason: string): DeliveryOutcome => ({ kind: 'failed', consumed: 1, reason: `customer.change: ${reason}`, failure: { code: 'reply_change_unsupported', detail: { channel: 'Telegram', change, reason } } });
  if (!ids.length) return refused('the reply itself never reached the customer');
  const chat = conv.customer.id;
  const wording = p.text === undefined ? [] : splitText(p.text, d.textLimit);
  const total = Math.max(ids.length, wording.length);
  try {
    const done = await d.step(itemId, total, async (i) => {
      try {
        if (i < ids.length && i < wording.length) await d.edit(chat, ids[i]!, wording[i]!);
        else if (i < ids.length) await d.remove(chat, ids[i]!);
        else await d.parts.sent(conv.id, p.agentMessageId, i, await d.send(chat, wording[i]!));
      } catch (err) {
        if (!alreadyDone(err)) throw err;
      }
    });
    return done ? { kind: 'delivered', consumed: 1 } : { kind: 'progress' };
  } catch (err) {
    const e = telegramErrorOf(err);
    if (cannotMessagePrivately(err)) return refused('the customer blocked the bot');
    if (e?.code === 400) return refused(e.description);
    throw err;
  }
}

/** The message already shows this wording, or is gone (the customer deleted the chat's messages): nothing left to do. */
function alreadyDone(err: unknown): boolean {
  const e = telegramErrorOf(err);
  return e?.code === 400 && /message is not modified|message to (edit|delete) not found|MESSAGE_ID_INVALID/i.test(e.description);
}
