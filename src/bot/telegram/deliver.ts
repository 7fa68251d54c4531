import { InputFile, type Api } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Attachment, Conversation, ThreadRef } from '../../core/model.js';
import { splitText } from '../../core/outbox/coalesce.js';
import type { Deliverer, DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxItem, OutboxPayload } from '../../core/outbox/items.js';
import { customerRun } from '../kit/customer-run.js';
import { headerCardOf } from '../kit/header-card-of.js';
import { PartProgress } from '../kit/part-progress.js';
import { sendToTelegramCustomer } from '../../channels/telegram/deliver.js';
import type { AdapterContext } from '../messenger-adapter.js';
import { deliverThreadOp, type ThreadDelivery } from '../deliver-thread-op.js';
import { cannotMessagePrivately, classifyTelegramError, isMessageGone, isNotModified, isTopicGone } from './classify-error.js';
import type { TelegramIdentity } from './identity.js';
import { attachmentSteps } from './post-attachments.js';
import { renderCommandButtons, renderHeader, TELEGRAM_TEXT_LIMIT, topicName } from './render.js';
import { clearTopicState, headerUnchanged, recreatedNotice, rememberHeader, setTopicState, topicState } from './topic-state.js';

/** Media captions carry 0–1,024 characters. */
const CAPTION_LIMIT = 1024;
/** About 30 messages per second overall (platform-facts.md §3): the spacing of this process's calls. */
const OVERALL_SPACING_MS = 34;
/** How long to stop trying a DM after Telegram said the person never started the bot. */
const NO_PRIVATE_CHAT_MS = 10 * 60_000;
/** The reaction that marks an agent's reply delivered (✅ is not among the reactions bots may set). */
const DELIVERED_REACTION = '👌';

/** `names`: display names of Telegram users seen in updates, for notices that address them. */
export type TelegramDelivererOptions = Pick<AdapterContext, 'desk' | 'log' | 'fetchMedia' | 'state' | 'clock'> & { identity: TelegramIdentity; names: ReadonlyMap<string, string> };

/**
 * Turns outbox items into Bot API calls, at most one rate-limited call per
 * attempt. A conversation's first post opens its forum topic (one call), then
 * posts the header card with its buttons (one call), then the messages.
 * A topic someone deleted is noticed by "message thread not found" and opened
 * again, with a notice that says so (anchors.md B4). Private answers go by
 * DM (Telegram has no ephemeral messages); to someone who never started the
 * bot they are said in the topic instead.
 */
export class TelegramDeliverer implements Deliverer, ThreadDelivery {
  /** Parts of an over-long text (or files of a message) already sent, by item id, in the store. */
  private readonly progress: PartProgress;
  private readonly noPrivateChat = new Map<string, number>();
  private nextCallAt = 0;

  constructor(private readonly api: Api, private readonly o: TelegramDelivererOptions) {
    this.progress = new PartProgress(o.state);
  }

  async destination(head: OutboxItem): Promise<string> {
    const p = head.payload;
    switch (p.op) {
      case 'thread.customer':
      case 'thread.notice':
        return `telegram:group:${await this.chatOf(p.convId)}`;
      case 'thread.header':
      case 'thread.delivered':
        return `telegram:edit:${await this.chatOf(p.convId)}`;
      case 'private':
      case 'dm':
        return `telegram:chat:${p.user}`;
      case 'customer.send': {
        const conv = await this.o.desk.conversations.get(p.convId);
        return `telegram:chat:${conv?.customer.id ?? 'unknown'}`;
      }
    }
  }

  async deliver(items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const head = items[0]!;
    const p = head.payload;
    await this.pace();
    try {
      const threadOp = deliverThreadOp(items, this);
      if (threadOp) return await threadOp;
      switch (p.op) {
        case 'private':
          return await this.tellPrivately(head.id, p.user, p.text, p.channel, p.thread);
        case 'dm':
          return await this.directMessage(head.id, p);
        case 'customer.send':
          return await sendToTelegramCustomer({ desk: this.o.desk, sendInParts: (id, chat, text) => this.sendInParts(id, chat, text) }, head.id, p);
        default:
          return { kind: 'failed', consumed: 1, reason: `no ${p.op} delivery on this messenger` };
      }
    } catch (err) {
      return classifyTelegramError(err, 1, this.o.log, p.op);
    }
  }

  /** A person pressed Start in a private chat with the bot: DMs work from now on. */
  privateChatOpened(user: string): void {
    this.noPrivateChat.delete(user);
  }

  async postInThread(items: readonly OutboxItem[], convId: string): Promise<DeliveryOutcome> {
    const conv = await this.o.desk.conversations.get(convId);
    if (!conv) return { kind: 'failed', consumed: 1, reason: `conversation ${convId} is gone` };
    const chat = this.o.desk.queueOf(conv).channel;
    const state = await topicState(this.o.state, conv.id);
    const t = conv.thread;
    try {
      if (!t || t.platform !== 'telegram' || t.channel !== chat || state === 'gone') {
        await this.openTopic(conv, chat, state === 'gone');
        return { kind: 'progress' };
      }
      if (!t.header) {
        await this.postHeader(conv, t);
        return { kind: 'progress' };
      }
      if (state === 'recreated') {
        await this.sendText(t.channel, await recreatedNotice(this.o.desk, conv), { message_thread_id: Number(t.thread) });
        await clearTopicState(this.o.state, conv.id);
        return { kind: 'progress' };
      }
      const head = items[0]!;
      if (head.payload.op === 'thread.customer' && head.payload.attachments?.length) {
        return await this.postAttachments(head.id, conv, t, head.payload.text, head.payload.attachments);
      }
      // The run waiting at the head (customer messages, or bot notices) goes as one post when it fits.
      const run = head.payload.op === 'thread.notice'
        ? noticeRun(items, TELEGRAM_TEXT_LIMIT)
        : customerRun(items, TELEGRAM_TEXT_LIMIT);
      const done = await this.sendInParts(head.id, t.channel, run.texts.join('\n'), { message_thread_id: Number(t.thread) });
      return done ? { kind: 'delivered', consumed: run.count } : { kind: 'progress' };
    } catch (err) {
      if (!isTopicGone(err)) throw err;
      // The items stay: the next attempt opens a new topic and posts them there.
      await setTopicState(this.o.state, conv.id, 'gone');
      this.o.log.warn({ convId: conv.id, topic: t?.thread }, 'the conversation\'s Telegram topic is gone (deleted or closed); opening a new one');
      return { kind: 'progress' };
    }
  }

  private async openTopic(conv: Conversation, chat: string, recreating: boolean): Promise<void> {
    const topic = await this.api.createForumTopic(chat, topicName(await this.card(conv)));
    const thread = String(topic.message_thread_id);
    if (conv.thread && !recreating) this.o.log.info({ convId: conv.id, from: conv.thread.channel, to: chat }, 'queue chat changed: opened a new topic for the conversation');
    await this.o.desk.threadOpened(conv.id, { platform: 'telegram', workspace: chat, channel: chat, thread, header: '' });
    if (recreating) {
      await setTopicState(this.o.state, conv.id, 'recreated');
      this.o.log.info({ convId: conv.id, topic: thread }, 'opened a new Telegram topic for a conversation whose topic was deleted');
    }
  }

  private async postHeader(conv: Conversation, t: ThreadRef): Promise<void> {
    const rendered = renderHeader(await this.card(conv));
    const posted = await this.api.sendMessage(t.channel, rendered.text, { message_thread_id: Number(t.thread), reply_markup: rendered.reply_markup });
    const saved = await this.o.desk.threadOpened(conv.id, { ...t, header: String(posted.message_id) });
    await rememberHeader(this.o.state, conv.id, rendered);
    // The state may have moved on while the header was being posted.
    if (saved && JSON.stringify(renderHeader(await this.card(saved))) !== JSON.stringify(rendered)) await this.o.desk.refreshHeader(saved);
  }

  async editHeader(convId: string, run: number): Promise<DeliveryOutcome> {
    const conv = await this.o.desk.conversations.get(convId);
    const t = conv?.thread;
    // No topic or header yet: the header is rendered from the latest state when it is posted.
    if (!conv || !t || t.platform !== 'telegram' || !t.header) return { kind: 'delivered', consumed: run };
    const rendered = renderHeader(await this.card(conv));
    if (await headerUnchanged(this.o.state, conv.id, rendered)) return { kind: 'delivered', consumed: run };
    try {
      await this.api.editMessageText(t.channel, Number(t.header), rendered.text, { reply_markup: rendered.reply_markup });
    } catch (err) {
      if (isMessageGone(err)) {
        // Posted again before the next message (and if the whole topic is gone, that post finds out).
        // Only if the thread is still this one: the thread lane may have opened a new topic meanwhile.
        await this.o.desk.conversations.update(conv.id, (c) => (c.thread?.thread === t.thread && c.thread.header === t.header ? { ...c, thread: { ...c.thread, header: '' } } : c));
        this.o.log.warn({ convId }, 'the Telegram header message is gone; it is posted again before the next message');
        return { kind: 'delivered', consumed: run };
      }
      if (!isNotModified(err)) throw err;
    }
    await rememberHeader(this.o.state, conv.id, rendered);
    return { kind: 'delivered', consumed: run };
  }

  async react(convId: string, messageId: string): Promise<DeliveryOutcome> {
    const conv = await this.o.desk.conversations.get(convId);
    if (!conv?.thread || conv.thread.platform !== 'telegram') return { kind: 'failed', consumed: 1, reason: 'no Telegram topic to react in' };
    try {
      await this.api.setMessageReaction(conv.thread.channel, Number(messageId), [{ type: 'emoji', emoji: DELIVERED_REACTION }]);
    } catch (err) {
      if (isMessageGone(err)) return { kind: 'failed', consumed: 1, reason: 'the agent message to mark delivered is gone' };
      throw err;
    }
    return { kind: 'delivered', consumed: 1 };
  }

  /**
   * Telegram has no ephemeral messages: a private answer is a DM. Someone who
   * never pressed Start cannot get one (403), so it is said in the topic where
   * they are, with how to get them privately next time.
   */
  private async tellPrivately(itemId: string, user: string, text: string, channel?: string, thread?: string, buttons?: InlineKeyboardMarkup): Promise<DeliveryOutcome> {
    if ((this.noPrivateChat.get(user) ?? 0) < Date.now()) {
      try {
        return (await this.sendInParts(itemId, user, text, buttons ? { reply_markup: buttons } : {})) ? { kind: 'delivered', consumed: 1 } : { kind: 'progress' };
      } catch (err) {
        if (!cannotMessagePrivately(err)) throw err;
        this.noPrivateChat.set(user, Date.now() + NO_PRIVATE_CHAT_MS);
      }
    }
    const conv = channel && thread ? await this.o.desk.conversations.byThread('telegram', channel, channel, thread) : undefined;
    if (!conv) return { kind: 'failed', consumed: 1, reason: `telegram user ${user} never started a private chat with the bot, and there is no topic to say it in` };
    const me = this.o.identity.current;
    const who = this.o.names.get(user) ?? (await this.o.desk.seats.ofActor({ platform: 'telegram', userId: user }))?.name ?? `user ${user}`;
    await this.o.desk.notice(conv, `${who}: ${text}\n(I could not tell you privately: open a chat with ${me ? `@${me.username}` : 'the bot'} and press Start to receive private hints.)`);
    return { kind: 'delivered', consumed: 1 };
  }

  /**
   * A DM to an agent (escalation, alert, export): with a link to the
   * conversation's topic when it has one; actions as inline buttons (their
   * command in `callback_data`), or said as the command to type when one does
   * not fit in 64 bytes; a file goes as a document with the text as its caption.
   */
  private async directMessage(itemId: string, p: Extract<OutboxPayload, { op: 'dm' }>): Promise<DeliveryOutcome> {
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
        else await this.sendText(p.user, text.slice(0, TELEGRAM_TEXT_LIMIT));
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

  /** A customer message with files: one call per file, then one text for links (see attachmentSteps). */
  private async postAttachments(itemId: string, conv: Conversation, t: ThreadRef, text: string, attachments: Attachment[]): Promise<DeliveryOutcome> {
    const steps = attachmentSteps(this.api, conv, t, text, attachments, this.o.fetchMedia);
    const done = await this.progress.step(itemId, steps.length, async (index) => { await steps[index]!(); });
    return done ? { kind: 'delivered', consumed: 1 } : { kind: 'progress' };
  }

  /** Sends `text`, one part per call when it is over 4,096 characters; true once the last part went out. */
  private async sendInParts(itemId: string, chat: string, text: string, extra: SendExtra = {}): Promise<boolean> {
    const parts = splitText(text, TELEGRAM_TEXT_LIMIT);
    // Buttons go under the last part.
    const { reply_markup, ...rest } = extra;
    return this.progress.step(itemId, parts.length, (index, last) => this.sendText(chat, parts[index]!, !last || !reply_markup ? rest : extra));
  }

  private async sendText(chat: string, text: string, extra: SendExtra = {}): Promise<void> {
    await this.api.sendMessage(chat, text, { ...extra, link_preview_options: { is_disabled: true } });
  }

  private async chatOf(convId: string): Promise<string> {
    const conv = await this.o.desk.conversations.get(convId);
    return conv ? this.o.desk.queueOf(conv).channel : 'unknown';
  }

  /** Keeps this process under Telegram's ~30 messages per second overall. */
  private async pace(): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextCallAt);
    this.nextCallAt = at + OVERALL_SPACING_MS;
    if (at > now) await new Promise((r) => setTimeout(r, at - now));
  }

  private card(conv: Conversation) {
    return headerCardOf(this.o.desk, this.o.clock, conv);
  }
}

type SendExtra = { message_thread_id?: number; reply_markup?: InlineKeyboardMarkup };

/** Consecutive bot notices at the head, joined while they fit in one message. */
function noticeRun(items: readonly OutboxItem[], maxChars: number): { count: number; texts: string[] } {
  const texts: string[] = [];
  let length = 0;
  for (const item of items) {
    if (item.payload.op !== 'thread.notice') break;
    const added = (texts.length ? 1 : 0) + item.payload.text.length;
    if (texts.length && length + added > maxChars) break;
    texts.push(item.payload.text);
    length += added;
  }
  return { count: texts.length, texts };
}
