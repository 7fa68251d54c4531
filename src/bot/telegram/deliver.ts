import type { Api } from 'grammy';
import type { Attachment, Conversation, ThreadRef } from '../../core/model.js';
import type { Deliverer, DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxItem } from '../../core/outbox/items.js';
import { coalesceNoticeRun } from '../../core/outbox/coalesce.js';
import { customerRun } from '../kit/customer-run.js';
import { withMentions } from './mentions.js';
import { headerCardOf } from '../kit/header-card-of.js';
import { JustOpened } from '../kit/just-opened.js';
import { PartProgress } from '../kit/part-progress.js';
import type { AdapterContext } from '../messenger-adapter.js';
import { deliverThreadOp, type ThreadDelivery } from '../deliver-thread-op.js';
import { classifyTelegramError, isMessageGone, isNotModified, isTopicGone } from './classify-error.js';
import { deliverCarried } from './carried-calls.js';
import { telegramDestination } from './destination.js';
import { TelegramDirectMessages } from './direct-message.js';
import type { TelegramIdentity } from './identity.js';
import { attachmentSteps } from './post-attachments.js';
import { renderHeader, TELEGRAM_TEXT_LIMIT, topicName } from './render.js';
import { TelegramSender } from './send-text.js';
import { clearTopicState, headerUnchanged, recreatedNotice, rememberHeader, setTopicState, topicState } from './topic-state.js';
import { renderView } from './render-view.js';

/** The reaction that marks an agent's reply delivered (✅ is not among the reactions bots may set). */
const DELIVERED_REACTION = '👌';
/** Seen by the customer; a bot sets one reaction per message, so it takes the place of 👌 (seen implies delivered). */
const SEEN_REACTION = '👀';

/** `names`: display names of Telegram users seen in updates, for notices that address them. */
export type TelegramDelivererOptions = Pick<AdapterContext, 'desk' | 'log' | 'fetchMedia' | 'state' | 'clock' | 'carried'> & { identity: TelegramIdentity; names: ReadonlyMap<string, string> };

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
  private readonly send: TelegramSender;
  private readonly direct: TelegramDirectMessages;
  /** The record saved with a topic or header just recorded, read by the next attempt instead of the store. */
  private readonly opened: JustOpened;

  constructor(private readonly api: Api, private readonly o: TelegramDelivererOptions) {
    this.progress = new PartProgress(o.state);
    this.send = new TelegramSender(api, this.progress);
    this.direct = new TelegramDirectMessages(api, o, this.send, this.progress);
    this.opened = new JustOpened(o.clock);
  }

  destination(head: OutboxItem): Promise<string> {
    return telegramDestination(this.o.desk, head);
  }

  async deliver(items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const head = items[0]!;
    const p = head.payload;
    await this.send.pace();
    try {
      const threadOp = deliverThreadOp(items, this);
      if (threadOp) return await threadOp;
      switch (p.op) {
        case 'private':
          if (p.view) {
            const view = renderView(p.view);
            return await this.direct.tellPrivately(head.id, p.user, view.text, p.channel, p.thread, view.reply_markup);
          }
          return await this.direct.tellPrivately(head.id, p.user, p.text, p.channel, p.thread);
        case 'dm':
          return await this.direct.directMessage(head.id, p);
        default:
          // Replies to the Telegram customers this bot carries, and their edits and deletes.
          return await (deliverCarried(this.o.carried, this.api, this.send, this.progress, head) ?? { kind: 'failed', consumed: 1, reason: `no ${p.op} delivery on this messenger` });
      }
    } catch (err) {
      return classifyTelegramError(err, 1, this.o.log, p.op);
    }
  }

  /** A person pressed Start in a private chat with the bot: DMs work from now on. */
  privateChatOpened(user: string): void {
    this.direct.privateChatOpened(user);
  }

  async postInThread(items: readonly OutboxItem[], convId: string): Promise<DeliveryOutcome> {
    const conv = this.opened.take(convId) ?? await this.o.desk.conversations.get(convId);
    if (!conv) return { kind: 'failed', consumed: 1, reason: `conversation ${convId} is gone` };
    const chat = this.o.desk.queueOf(conv).channel;
    const state = await topicState(this.o.state, conv.id);
    const t = conv.thread;
    try {
      if (!t || t.platform !== 'telegram' || t.channel !== chat || state === 'gone') {
        return { kind: 'progress', afterCall: await this.openTopic(conv, chat, state === 'gone') };
      }
      if (!t.header) {
        return { kind: 'progress', afterCall: await this.postHeader(conv, t) };
      }
      if (state === 'recreated') {
        await this.send.sendText(t.channel, await recreatedNotice(this.o.desk, conv), { message_thread_id: Number(t.thread) });
        await clearTopicState(this.o.state, conv.id);
        return { kind: 'progress' };
      }
      const head = items[0]!;
      if (head.payload.op === 'thread.customer' && head.payload.attachments?.length) {
        return await this.postAttachments(head.id, conv, t, head.payload.text, head.payload.attachments);
      }
      const pinged = head.payload.op === 'thread.notice' ? [...(head.payload.mention ? [head.payload.mention] : []), ...(head.payload.mentions ?? [])] : [];
      if (head.payload.op === 'thread.notice' && pinged.length) {
        // A notice that pings goes alone: a text_mention entity per person notifies them (no @username needed).
        const { text, entities } = withMentions(head.payload.text, pinged);
        await this.send.sendText(t.channel, text, { message_thread_id: Number(t.thread), entities });
        return { kind: 'delivered', consumed: 1 };
      }
      // The run waiting at the head (customer messages, or bot notices) goes as one post when it fits.
      const run = head.payload.op === 'thread.notice'
        ? coalesceNoticeRun(items, TELEGRAM_TEXT_LIMIT)
        : customerRun(items, TELEGRAM_TEXT_LIMIT);
      const done = await this.send.sendInParts(head.id, t.channel, run.texts.join('\n'), { message_thread_id: Number(t.thread) });
      return done ? { kind: 'delivered', consumed: run.count } : { kind: 'progress' };
    } catch (err) {
      if (!isTopicGone(err)) throw err;
      // The items stay: the next attempt opens a new topic and posts them there.
      await setTopicState(this.o.state, conv.id, 'gone');
      this.o.log.warn({ convId: conv.id, topic: t?.thread }, 'the conversation\'s Telegram topic is gone (deleted or closed); opening a new one');
      return { kind: 'progress' };
    }
  }

  /** Creates the topic (the attempt's call); resolves with the recording of it, to run outside the slot. */
  private async openTopic(conv: Conversation, chat: string, recreating: boolean): Promise<() => Promise<void>> {
    const topic = await this.api.createForumTopic(chat, topicName(await this.card(conv)));
    const thread = String(topic.message_thread_id);
    return async () => {
      if (conv.thread && !recreating) this.o.log.info({ convId: conv.id, from: conv.thread.channel, to: chat }, 'queue chat changed: opened a new topic for the conversation');
      const saved = await this.o.desk.threadOpened(conv.id, { platform: 'telegram', workspace: chat, channel: chat, thread, header: '' });
      if (saved) this.opened.remember(saved);
      if (recreating) {
        await setTopicState(this.o.state, conv.id, 'recreated');
        this.o.log.info({ convId: conv.id, topic: thread }, 'opened a new Telegram topic for a conversation whose topic was deleted');
      }
    };
  }

  /** Posts the header (the attempt's call); resolves with the recording of it, to run outside the slot. */
  private async postHeader(conv: Conversation, t: ThreadRef): Promise<() => Promise<void>> {
    const rendered = renderHeader(await this.card(conv));
    const posted = await this.api.sendMessage(t.channel, rendered.text, { message_thread_id: Number(t.thread), reply_markup: rendered.reply_markup });
    return async () => {
      const saved = await this.o.desk.threadOpened(conv.id, { ...t, header: String(posted.message_id) });
      await rememberHeader(this.o.state, conv.id, rendered);
      if (!saved) return;
      this.opened.remember(saved);
      // The state may have moved on while the header was being posted.
      if (JSON.stringify(renderHeader(await this.card(saved))) !== JSON.stringify(rendered)) await this.o.desk.refreshHeader(saved);
    };
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

  async react(convId: string, messageId: string, mark: 'delivered' | 'read'): Promise<DeliveryOutcome> {
    const conv = await this.o.desk.conversations.get(convId);
    if (!conv?.thread || conv.thread.platform !== 'telegram') return { kind: 'failed', consumed: 1, reason: 'no Telegram topic to react in' };
    try {
      await this.api.setMessageReaction(conv.thread.channel, Number(messageId), [{ type: 'emoji', emoji: mark === 'read' ? SEEN_REACTION : DELIVERED_REACTION }]);
    } catch (err) {
      if (isMessageGone(err)) return { kind: 'failed', consumed: 1, reason: 'the agent message to mark delivered is gone' };
      throw err;
    }
    return { kind: 'delivered', consumed: 1 };
  }

  /** A customer message with files: one call per file, then one text for links (see attachmentSteps). */
  private async postAttachments(itemId: string, conv: Conversation, t: ThreadRef, text: string, attachments: Attachment[]): Promise<DeliveryOutcome> {
    const steps = attachmentSteps(this.api, conv, t, text, attachments, this.o.fetchMedia);
    const done = await this.progress.step(itemId, steps.length, async (index) => { await steps[index]!(); });
    return done ? { kind: 'delivered', consumed: 1 } : { kind: 'progress' };
  }

  private card(conv: Conversation) {
    return headerCardOf(this.o.desk, this.o.clock, conv);
  }
}

