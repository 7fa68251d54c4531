import type { Api } from 'grammy';
import type { InlineKeyboardMarkup, MessageEntity } from 'grammy/types';
import { splitText } from '../../core/outbox/coalesce.js';
import type { PartProgress } from '../kit/part-progress.js';
import { TELEGRAM_TEXT_LIMIT } from './render.js';

/** About 30 messages per second overall (platform-facts.md §3): the spacing of this process's calls. */
const OVERALL_SPACING_MS = 34;

/** Where in a chat a text goes (a forum topic), and the buttons under it. */
export type SendExtra = { message_thread_id?: number; reply_markup?: InlineKeyboardMarkup; entities?: MessageEntity[] };

/** The deliverer's text calls: paced for the whole process, long texts in parts counted in the store. */
export class TelegramSender {
  private nextCallAt = 0;

  constructor(private readonly api: Api, private readonly progress: PartProgress) {}

  /**
   * Sends `text`, one part per call when it is over 4,096 characters; true once the last part went out.
   * `onSent` learns each part's message id (a customer reply keeps them, to edit or delete it later).
   */
  async sendInParts(itemId: string, chat: string, text: string, extra: SendExtra = {}, onSent?: (index: number, messageId: number) => Promise<void>): Promise<boolean> {
    const parts = splitText(text, TELEGRAM_TEXT_LIMIT);
    // Buttons go under the last part.
    const { reply_markup, ...rest } = extra;
    return this.progress.step(itemId, parts.length, async (index, last) => {
      const id = await this.sendText(chat, parts[index]!, !last || !reply_markup ? rest : extra);
      await onSent?.(index, id);
    });
  }

  /** One message, without a link preview; its message id. */
  async sendText(chat: string, text: string, extra: SendExtra = {}): Promise<number> {
    return (await this.api.sendMessage(chat, text, { ...extra, link_preview_options: { is_disabled: true } })).message_id;
  }

  /** Keeps this process under Telegram's ~30 messages per second overall. */
  async pace(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextCallAt);
    this.nextCallAt = at + OVERALL_SPACING_MS;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  }
}
