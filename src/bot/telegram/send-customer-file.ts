import { InputFile, type Api } from 'grammy';
import type { CarriedFile } from '../messenger-adapter.js';

/**
 * One file to a Telegram customer's private chat: sendPhoto (shown inline)
 * or sendDocument, by a `file_id` Telegram already holds or uploaded from a
 * stream (grammY streams it into the multipart body), with its caption.
 */
export async function sendCustomerFile(api: Api, chat: string, f: CarriedFile): Promise<void> {
  const input = f.ref ?? new InputFile(f.body ?? [], f.name);
  const other = f.caption ? { caption: f.caption } : {};
  if (f.as === 'photo') await api.sendPhoto(chat, input, other);
  else await api.sendDocument(chat, input, other);
}
