import type { Api } from 'grammy';
import type { Desk } from '../../core/desk.js';
import type { DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxItem } from '../../core/outbox/items.js';
import { sendToTelegramCustomer } from '../../channels/telegram/deliver.js';
import { changeTelegramReply } from '../../channels/telegram/change-reply.js';
import { ReplyParts } from '../../channels/telegram/reply-parts.js';
import type { PartProgress } from '../kit/part-progress.js';
import type { StatePort } from '../kit/state-port.js';
import { TELEGRAM_TEXT_LIMIT } from './render.js';
import type { TelegramSender } from './send-text.js';

/**
 * The bot's calls for the `telegram` customer channel (src/channels/telegram):
 * a reply in the customer's private chat, and an agent's later edit or delete
 * of it. Undefined for any other item.
 */
export class TelegramCustomerCalls {
  /** The message ids of customer replies' parts, for their edits and deletes. */
  private readonly parts: ReplyParts;

  constructor(private readonly api: Api, private readonly desk: Pick<Desk, 'conversations'>, private readonly send: TelegramSender, private readonly progress: PartProgress, state: StatePort) {
    this.parts = new ReplyParts(state);
  }

  deliver(head: OutboxItem): Promise<DeliveryOutcome> | undefined {
    const p = head.payload;
    if (p.op === 'customer.send') {
      return sendToTelegramCustomer({ desk: this.desk, parts: this.parts, sendInParts: (id, chat, text, onSent) => this.send.sendInParts(id, chat, text, {}, onSent) }, head.id, p);
    }
    if (p.op !== 'customer.change') return undefined;
    return changeTelegramReply({
      desk: this.desk, parts: this.parts, textLimit: TELEGRAM_TEXT_LIMIT,
      edit: async (chat, id, text) => { await this.api.editMessageText(chat, id, text, { link_preview_options: { is_disabled: true } }); },
      remove: async (chat, id) => { await this.api.deleteMessage(chat, id); },
      send: (chat, text) => this.send.sendText(chat, text),
      step: (id, total, call) => this.progress.step(id, total, (index) => call(index)),
    }, head.id, p);
  }
}
