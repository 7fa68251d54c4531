import type { Message } from 'grammy/types';
import type { Desk } from '../../core/desk.js';
import { customerMessageId, privateEditToInbound, privateMessageToInbound, type BotAccount } from './to-inbound.js';

/**
 * Telegram as a customer channel (`telegram`): a customer writing to the bot
 * in a private chat. The messenger side (src/bot/telegram) hands over the
 * private messages that are no seat's command.
 */
export async function receiveTelegramMessage(desk: Pick<Desk, 'receiveCustomerMessage'>, message: Message, me: BotAccount): Promise<void> {
  const inbound = privateMessageToInbound(message, me);
  if (inbound) await desk.receiveCustomerMessage(inbound);
}

/** A customer edited a private message: shown in the thread as an edit quoting the original. */
export async function receiveTelegramEdit(desk: Pick<Desk, 'receiveCustomerMessage' | 'findQuotedMessage'>, edited: Message, me: BotAccount): Promise<void> {
  const customerId = String(edited.from?.id ?? edited.chat.id);
  const original = await desk.findQuotedMessage('telegram', String(me.id), customerId, customerMessageId(edited));
  const inbound = privateEditToInbound(edited, me, original);
  if (inbound) await desk.receiveCustomerMessage(inbound);
}
