import type { Api } from 'grammy';
import type { DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxItem } from '../../core/outbox/items.js';
import type { CarriedChange, CarriedChannel, CarriedSend } from '../messenger-adapter.js';
import type { PartProgress } from '../kit/part-progress.js';
import { customerRefusal, telegramErrorOf } from './classify-error.js';
import { TELEGRAM_TEXT_LIMIT } from './render.js';
import type { TelegramSender } from './send-text.js';
import { sendCustomerFile } from './send-customer-file.js';

/**
 * The bot's calls for the customer channel it carries (Telegram's private
 * chats): a reply, and an agent's later edit or delete of it, each handed to
 * the channel's side (src/channels/telegram through `carried`). Undefined for
 * any other item.
 */
export function deliverCarried(carried: CarriedChannel | undefined, api: Api, send: TelegramSender, progress: PartProgress, head: OutboxItem): Promise<DeliveryOutcome> | undefined {
  const p = head.payload;
  if (p.op !== 'customer.send' && p.op !== 'customer.change') return undefined;
  if (!carried) return Promise.resolve({ kind: 'failed', consumed: 1, reason: 'a reply to a Telegram customer, but the Telegram customer channel is not set up' });
  if (p.op === 'customer.send') return carried.send(sendCalls(api, send), head.id, p);
  if (!carried.change) return Promise.resolve({ kind: 'failed', consumed: 1, reason: 'the Telegram customer channel changes no sent reply' });
  return carried.change(changeCalls(api, send, progress), head.id, p);
}

function sendCalls(api: Api, send: TelegramSender): CarriedSend {
  return {
    sendInParts: (id, chat, text, onSent) => send.sendInParts(id, chat, text, {}, onSent ? (index, messageId) => onSent(index, String(messageId)) : undefined),
    refusal: customerRefusal,
    sendFile: (chat, f) => sendCustomerFile(api, chat, f),
  };
}

/** editMessageText / deleteMessage of the bot's own messages in a private chat (bots may change those at any time). */
function changeCalls(api: Api, send: TelegramSender, progress: PartProgress): CarriedChange {
  return {
    edit: async (chat, id, text) => { await api.editMessageText(chat, Number(id), text, { link_preview_options: { is_disabled: true } }); },
    remove: async (chat, id) => { await api.deleteMessage(chat, Number(id)); },
    send: async (chat, text) => String(await send.sendText(chat, text)),
    step: (id, total, call) => progress.step(id, total, (index) => call(index)),
    alreadyDone: (err) => {
      const e = telegramErrorOf(err);
      return e?.code === 400 && /message is not modified|message to (edit|delete) not found|MESSAGE_ID_INVALID/i.test(e.description);
    },
    refusal: customerRefusal,
    textLimit: TELEGRAM_TEXT_LIMIT,
  };
}
