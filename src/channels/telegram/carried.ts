import type { Message } from 'grammy/types';
import type { CarriedChannel } from '../../bot/messenger-adapter.js';
import type { Desk } from '../../core/desk.js';
import type { AtomicPort } from '../../core/ports.js';
import { sendToTelegramCustomer } from './deliver.js';
import { changeTelegramReply } from './change-reply.js';
import { ReplyParts } from './reply-parts.js';
import { telegramFileSender } from './send-files.js';
import type { AgentFileFetcher } from '../../core/files/agent-file-stream.js';
import { receiveTelegramEdit, receiveTelegramMessage } from './receive-messages.js';

/** Telegram customers, as the Telegram messenger's bot carries them (its private chats). */
export function carriedTelegram(desk: Desk, store: Pick<AtomicPort, 'getString' | 'setString'>, fetchAgentFile: AgentFileFetcher): CarriedChannel<Message> {
  // The message ids of each reply's parts, for its edits and deletes.
  const parts = new ReplyParts(store);
  const sendFiles = telegramFileSender(fetchAgentFile);
  return {
    by: 'telegram',
    receiveMessage: (message, me) => receiveTelegramMessage(desk, message, me),
    receiveEdit: (message, me) => receiveTelegramEdit(desk, message, me),
    send: (via, itemId, p) => sendToTelegramCustomer(desk, parts, via, itemId, p, sendFiles),
    change: (via, itemId, p) => changeTelegramReply(desk, parts, via, itemId, p),
  };
}
