import { t } from '../../i18n/format.js';
import { queueLanguage } from '../../i18n/choose-language.js';
import { InputFile, type Api } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxPayload } from '../../core/outbox/items.js';
import type { PartProgress } from '../kit/part-progress.js';
import type { AdapterContext } from '../messenger-adapter.js';
import { cannotMessagePrivately } from './classify-error.js';
import type { TelegramIdentity } from './identity.js';
import { renderCommandButtons, TELEGRAM_TEXT_LIMIT } from './render.js';
import type { TelegramSender } from './send-text.js';

/** Media captions carry 0–1,024 characters. */
const CAPTION_LIMIT = 1024;
/** How long to stop trying a DM after Telegram said the person never started the bot. */
const NO_PRIVATE_CHAT_MS = 10 * 60_000;

/** What private answers and DMs need from the deliverer's options. */
export type DirectMessageOptions = Pick<AdapterContext, 'desk'> & { identity: TelegramIdentity; names: ReadonlyMap<string, string> };

/** Private answers and DMs to agents; remembers who never started a private chat with the bot. */
export class TelegramDirectMessages {
  private readonly noPrivateChat = new Map<string, number>();

  constructor(private readonly api: Api, private readonly o: DirectMessageOptions, private readonly send: TelegramSender, private readonly progress: PartProgress) {}

  /** A person pressed Start in a private chat with the bot: DMs work from now on. */
  privateChatOpened(user: string): void {
    this.noPrivateChat.delete(user);
  }

  /**
   * Telegram has no ephemeral messages: a private answer is a DM. Someone who
   * never pressed Start cannot get one (403), so it is said in the topic where
   * they are, with how to get them privately next time.
   */
  async tellPrivately(itemId: string, user: string, text: string, channel?: string, thread?: string, buttons?: InlineKeyboardMarkup): Promise<DeliveryOutcome> {
    if ((this.noPrivateChat.get(user) ?? 0) < Date.now()) {
      try {
        return (await this.send.sendInParts(itemId, user, text, buttons ? { reply_markup: buttons } : {})) ? { kind: 'delivered', consumed: 1 } : { kind: 'progress' };
      } catch (err) {
        if (!cannotMessagePrivately(err)) throw err;
        this.noPrivateChat.set(user, Date.now() + NO_PRIVATE_CHAT_MS);
      }
    }
    const conv = channel && thread ? await this.o.desk.conversations.byThread('telegram', channel, channel, thread) : undefined;
    if (!conv) return { kind: 'failed', consumed: 1, reason: `telegram user ${user} never started a private chat with the bot, and there is no topic to say it in` };
    const me = this.o.identity.current;
    const who = this.o.names.get(user) ?? (await this.o.desk.seats.ofActor({ platform: 'telegram', userId: user }))?.name ?? `user ${user}`;
    // Said in the topic, so in the queue's language (everyone there reads it).
    const lang = queueLanguage(this.o.desk.settings, conv.queue);
    await this.o.desk.notice(conv, t(lang, 'telegram.no_private_chat', { who, text, bot: me ? `@${me.username}` : t(lang, 'telegram.the_bot') }));
    return { kind: 'delivered', consumed: 1 };
  }

  /**
   * A DM to an agent (escalation, alert, export): with a link to the
   * conversation's topic when it has one; actions as inline buttons (their
   * command in `callback_data`), or said as the command to type when one does
   * not fit in 64 bytes; a file goes as a document with the text as its caption.
   */
  async directMessage(itemId: string, p: Extract<OutboxPayload, { op: 'dm' }>): Promise<DeliveryOutcome> {
    const link = p.convId ? await this.topicLink(p.convId) : undefined;
    const buttons = p.actions?.length && !p.file ? renderCommandButtons(p.actions) : undefined;
    const said = buttons ? [] : (p.actions ?? []).map((a) => a.fallback);
    const text = [p.text, ...said, ...(link ? [link] : [])].join('\n');
    if (!p.file) return this.tellPrivately(itemId, p.user, text, undefined, undefined, buttons);
    try {
      const caption = text.length <= CAPTION_LIMIT ? text : undefined;
      // Without a caption: the text first (one call), the file on the next attempt.
      const done = await this.progress.step(itemId, caption ? 1 : 2, async (_, last) => {
        if (last) await this.api.sendDocument(p.user, new InputFile(p.file!.path, p.file!.name), caption ? { caption } : {});
        else await this.send.sendText(p.user, text.slice(0, TELEGRAM_TEXT_LIMIT));
      });
      return done ? { kind: 'delivered', consumed: 1 } : { kind: 'progress' };
    } catch (err) {
      if (cannotMessagePrivately(err)) return { kind: 'failed', consumed: 1, reason: `telegram user ${p.user} never started a private chat with the bot: the file could not be sent` };
      throw err;
    }
  }

  /** A link that opens the conversation's topic (t.me/c/<supergroup id without -100>/<topic>). */
  private async topicLink(convId: string): Promise<string | undefined> {
    const t = (await this.o.desk.conversations.get(convId))?.thread;
    if (!t || t.platform !== 'telegram') return undefined;
    return `https://t.me/c/${t.channel.replace(/^-100/, '')}/${t.thread}`;
  }
}
