import type { Message } from 'grammy/types';
import type { CarriedChannel } from '../../bot/messenger-adapter.js';
import type { Desk } from '../../core/desk.js';
import { sendToTelegramCustomer } from './deliver.js';
import { telegramFileSender } from './send-files.js';
import type { AgentFileFetcher } from '../../core/files/agent-file-stream.js';
import { receiveTelegramEdit, receiveTelegramMessage } from './receive-messages.js';

/** Telegram customers, as the Telegram messenger's bot carries them (its private chats). */
export function carriedTelegram(desk: Desk, fetchAgentFile: AgentFileFetcher): CarriedChannel<Message> {
  const sendFiles = telegramFileSender(fetchAgentFile);
  return {
    by: 'telegram',
    receiveMessage: (message, me) => receiveTelegramMessage(desk, message, me),
    receiveEdit: (message, me) => receiveTelegramEdit(desk, message, me),
    send: (via, itemId, p) => sendToTelegramCustomer(desk, via, itemId, p, sendFiles),
  };
}
