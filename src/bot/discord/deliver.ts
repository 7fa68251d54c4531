import { RESTJSONErrorCodes, Routes, type REST } from 'discord.js';
import type { Attachment, Conversation } from '../../core/model.js';
import type { Deliverer, DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxItem } from '../../core/outbox/items.js';
import { customerRun } from '../kit/customer-run.js';
import { headerCardOf } from '../kit/header-card-of.js';
import { JustOpened } from '../kit/just-opened.js';
import { PartProgress } from '../kit/part-progress.js';
import type { AdapterContext } from '../messenger-adapter.js';
import { deliverThreadOp, type ThreadDelivery } from '../deliver-thread-op.js';
import { classifyDiscordError, hasCode } from './classify-error.js';
import { DiscordDirectMessages } from './direct-message.js';
import { attachmentPost } from './post-attachments.js';
import { DISCORD_TEXT_LIMIT, NO_MENTIONS, renderHeader, threadName } from './render.js';
import { DiscordSender } from './send-text.js';
import type { ThreadRegistry } from './thread-registry.js';
import { messageNonce } from './nonce.js';

/**
 * Every Discord call of every replica shares one budget: the bot's global
 * 50 requests/s (budgets.ts `discord:global`, a bottleneck limiter shared
 * through Redis). Per-route buckets are not hard-coded (Discord says not
 * to): @discordjs/rest learns them from `X-RateLimit-*` and, with
 * `rejectOnRateLimit`, hands an empty bucket back as an error, so only the
 * lane that needs that route waits.
 */
export const DISCORD_DESTINATION = 'discord:global:bot';

/** The longest auto-archive period: a quiet conversation's thread stays in the channel list for a week. */
const AUTO_ARCHIVE_MINUTES = 10080;
const CHECK_MARK = encodeURIComponent('✅');
/** The second reaction: the customer has seen the reply (web chat's seen). */
const SEEN_MARK = encodeURIComponent('👀');

/** `state`: where the parts of a long text already posted are counted (kit/part-progress.ts). */
export type DiscordDelivererOptions = Pick<AdapterContext, 'desk' | 'log' | 'fetchMedia' | 'state' | 'clock'> & { rest: REST; token: string; guildId: string; registry: ThreadRegistry };

/**
 * Turns outbox items into Discord REST calls, at most one per attempt.
 * A conversation's thread takes two: the header message in the queue's
 * channel, then a thread started on it (`POST /channels/{id}/messages/{msg}/threads`;
 * the thread gets the header's id). A thread someone deleted, or a queue
 * moved to another channel, gets a new header and thread.
 */
export class DiscordDeliverer implements Deliverer, ThreadDelivery {
  private readonly send: DiscordSender;
  private readonly direct: DiscordDirectMessages;
  /** The record saved with a thread just started, read by the next post instead of the store. */
  private readonly opened: JustOpened;

  constructor(private readonly o: DiscordDelivererOptions) {
    this.send = new DiscordSender(o.rest, new PartProgress(o.state));
    this.direct = new DiscordDirectMessages(o, this.send);
    this.opened = new JustOpened(o.clock);
  }

  async destination(): Promise<string> {
    return DISCORD_DESTINATION;
  }

  async deliver(items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const head = items[0]!;
    const p = head.payload;
    // @discordjs/rest forgets the token after a 401; the outbox decides when to try again.
    this.o.rest.setToken(this.o.token);
    try {
      const threadOp = deliverThreadOp(items, this);
      if (threadOp) return await threadOp;
      switch (p.op) {
        case 'private':
          return await this.direct.tellPrivately(p.user, p.text, head.id, p.thread);
        case 'dm':
          return await this.direct.dm(p.user, p.text, head.id, undefined, await this.direct.extras(p));
        default:
          return { kind: 'failed', consumed: 1, reason: `no ${p.op} delivery on this messenger` };
      }
    } catch (err) {
      return classifyDiscordError(err, this.o.log, p.op);
    }
  }

  async postInThread(items: readonly OutboxItem[], convId: string): Promise<DeliveryOutcome> {
    const { desk, registry } = this.o;
    const conv = this.opened.take(convId) ?? await desk.conversations.get(convId);
    if (!conv) return { kind: 'failed', consumed: 1, reason: `conversation ${convId} is gone` };
    const channel = desk.queueOf(conv).channel;
    const t = conv.thread;
    if (!t || t.platform !== 'discord' || t.channel !== channel || (await registry.isGone(t.thread))) {
      return { kind: 'progress', afterCall: await this.openThread(conv, channel) };
    }
    const head = items[0]!;
    try {
      if (head.payload.op === 'thread.notice') {
        const { text, mention, mentions } = head.payload;
        const pinged = [...(mention ? [mention] : []), ...(mentions ?? [])];
        // `<@id>` pings only when allowed_mentions names the user (every other post allows none).
        if (pinged.length) return await this.send.postText(t.thread, `${pinged.map((id) => `<@${id}>`).join(' ')} ${text}`, head.id, 1, { users: pinged });
        return await this.send.postText(t.thread, text, head.id, 1);
      }
      if (head.payload.op === 'thread.customer' && head.payload.attachments?.length) {
        return await this.postAttachments(conv, t.thread, head.payload.text, head.payload.attachments, head.id);
      }
      // Customer messages waiting at the head: one post (SPEC §8 coalescing), unless one alone is over the limit.
      const run = customerRun(items, DISCORD_TEXT_LIMIT);
      return await this.send.postText(t.thread, run.texts.join('\n'), head.id, run.count);
    } catch (err) {
      if (!hasCode(err, RESTJSONErrorCodes.UnknownChannel)) throw err;
      // Someone deleted the thread: the next attempt opens a new one (like a deleted Telegram topic).
      this.o.log.warn({ convId, thread: t.thread }, 'the conversation\'s Discord thread was deleted; opening a new one');
      await registry.markGone(t.thread);
      return { kind: 'progress' };
    }
  }

  /**
   * One call per attempt: post the header, or start the thread on a header posted before.
   * Resolves with the recording of what the call made, to run outside the slot.
   */
  private async openThread(conv: Conversation, channel: string): Promise<() => Promise<void>> {
    const { rest, registry } = this.o;
    const pending = await registry.pendingHeader(conv.id);
    if (pending && pending.channel === channel) return this.startThread(conv, pending.channel, pending.header, pending.card);
    const card = await this.card(conv);
    // The nonce names the thread this header replaces, so a header re-posted after a deletion is a new message.
    const nonce = messageNonce(`header:${conv.id}:${channel}:${conv.thread?.thread ?? 'first'}`, 0);
    const posted = (await rest.post(Routes.channelMessages(channel), { body: { ...renderHeader(card), ...nonce } })) as { id: string };
    return async () => {
      // Known before the thread exists: the thread gets the header's id.
      await registry.setParent(posted.id, channel);
      await registry.setPendingHeader(conv.id, { channel, header: posted.id, card: JSON.stringify(card) });
    };
  }

  private async startThread(conv: Conversation, channel: string, header: string, postedCard: string): Promise<() => Promise<void>> {
    const { rest, registry, desk, log } = this.o;
    const card = await this.card(conv);
    try {
      await rest.post(Routes.threads(channel, header), { body: { name: threadName(card), auto_archive_duration: AUTO_ARCHIVE_MINUTES } });
    } catch (err) {
      if (hasCode(err, RESTJSONErrorCodes.UnknownMessage)) {
        log.warn({ convId: conv.id, header }, 'the header message was deleted before its thread was started; posting it again');
        return () => registry.setPendingHeader(conv.id, undefined);
      }
      // An earlier attempt started it, but its answer was lost: the thread is there.
      if (!hasCode(err, RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage)) throw err;
    }
    return async () => {
      await registry.markOpen(header, conv.status !== 'closed');
      if (conv.thread) log.info({ convId: conv.id, from: conv.thread.channel, to: channel }, 'opened a new Discord thread for the conversation (queue channel changed or thread deleted)');
      const saved = await desk.threadOpened(conv.id, { platform: 'discord', workspace: this.o.guildId, channel, thread: header, header });
      await registry.setPendingHeader(conv.id, undefined);
      if (!saved) return;
      this.opened.remember(saved);
      // The state may have moved on since the header was posted.
      if (JSON.stringify(await this.card(saved)) !== postedCard) await desk.refreshHeader(saved);
    };
  }

  async editHeader(convId: string, run: number): Promise<DeliveryOutcome> {
    const { desk, registry, rest, log } = this.o;
    const conv = await desk.conversations.get(convId);
    // No thread yet: the header is rendered from the latest state when it is posted.
    if (!conv?.thread || conv.thread.platform !== 'discord') return { kind: 'delivered', consumed: run };
    await registry.markOpen(conv.thread.thread, conv.status !== 'closed');
    try {
      await rest.patch(Routes.channelMessage(conv.thread.channel, conv.thread.header), { body: renderHeader(await this.card(conv)) });
    } catch (err) {
      if (!hasCode(err, RESTJSONErrorCodes.UnknownMessage)) throw err;
      log.warn({ convId, header: conv.thread.header }, 'the header message was deleted; nothing to edit');
    }
    return { kind: 'delivered', consumed: run };
  }

  async react(convId: string, messageId: string, mark: 'delivered' | 'read'): Promise<DeliveryOutcome> {
    const conv = await this.o.desk.conversations.get(convId);
    if (!conv?.thread || conv.thread.platform !== 'discord') return { kind: 'failed', consumed: 1, reason: 'no Discord thread to react in' };
    try {
      await this.o.rest.put(Routes.channelMessageOwnReaction(conv.thread.thread, messageId, mark === 'read' ? SEEN_MARK : CHECK_MARK));
    } catch (err) {
      // The agent deleted their message meanwhile: nothing left to mark.
      if (!hasCode(err, RESTJSONErrorCodes.UnknownMessage)) throw err;
    }
    return { kind: 'delivered', consumed: 1 };
  }

  /** Up to ten files in one message (one call); links and notes for what cannot be uploaded. */
  private async postAttachments(conv: Conversation, thread: string, caption: string, attachments: Attachment[], itemId: string): Promise<DeliveryOutcome> {
    const post = await attachmentPost(conv, caption, attachments, this.o.fetchMedia);
    return this.send.postText(thread, post.text, itemId, 1, NO_MENTIONS, post.files);
  }

  private card(conv: Conversation) {
    return headerCardOf(this.o.desk, this.o.clock, conv);
  }
}
