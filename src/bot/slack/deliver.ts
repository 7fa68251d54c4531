import type { webApi } from '@slack/bolt';
type WebClient = webApi.WebClient;
import type { Conversation, Attachment } from '../../core/model.js';
import { splitText } from '../../core/outbox/coalesce.js';
import type { Deliverer, DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxItem } from '../../core/outbox/items.js';
import { customerRun } from '../kit/customer-run.js';
import { headerCardOf } from '../kit/header-card-of.js';
import { JustOpened } from '../kit/just-opened.js';
import { PartProgress } from '../kit/part-progress.js';
import { PostChannels } from './post-channels.js';
import type { AdapterContext } from '../messenger-adapter.js';
import { deliverThreadOp, type ThreadDelivery } from '../deliver-thread-op.js';
import { classifySlackError } from './classify-error.js';
import { slackDestination } from './destination.js';
import { SlackDirectMessages } from './direct-message.js';
import { renderHeader, escape } from './render.js';
import { renderView } from './render-view.js';
import type { SlackIdentity } from './identity.js';
import { AttemptMarkers } from './attempt-markers.js';
import { postKeys, SlackPostOnce } from './post-once.js';
import type { SlackCall } from './web-api-call.js';

/** chat.postMessage truncates text above 40,000 characters (docs.slack.dev chat.postMessage). */
export const SLACK_TEXT_LIMIT = 40_000;

/**
 * `state` keeps the attempt markers (owned by `instanceId`) and the parts of
 * long texts already posted; `call` makes the posts (the client the rest).
 */
export type SlackDelivererOptions = Pick<AdapterContext, 'desk' | 'log' | 'fetchMedia' | 'instanceId' | 'state' | 'clock'> & { identity: SlackIdentity; call: SlackCall };

/**
 * Turns outbox items into Slack Web API calls, at most one rate-limited call
 * per attempt. Opens the thread (header card) on first use, and again in the
 * queue's current channel when the mapping points at another one, so a
 * channel change never posts into a stale thread (anchors.md B4).
 */
export class SlackDeliverer implements Deliverer, ThreadDelivery {
  /** Header and thread posts, made once across crashes (post-once.ts). */
  private readonly once: SlackPostOnce;
  private readonly progress: PartProgress;
  private readonly direct: SlackDirectMessages;
  /** Each conversation's channel as last read here: one conversation read per thread post (post-channels.ts). */
  private readonly channels = new PostChannels();
  /** The record saved with a thread just opened, read by the next post instead of the store. */
  private readonly opened: JustOpened;

  constructor(private readonly client: WebClient, private readonly o: SlackDelivererOptions) {
    this.once = new SlackPostOnce({ client, call: o.call, markers: new AttemptMarkers(o.state), owner: o.instanceId, clock: o.clock, log: o.log });
    this.progress = new PartProgress(o.state);
    this.direct = new SlackDirectMessages(client, o);
    this.opened = new JustOpened(o.clock);
  }

  destination(head: OutboxItem): Promise<string> {
    const p = head.payload;
    const known = p.op === 'thread.customer' || p.op === 'thread.notice' ? this.channels.get(p.convId) : undefined;
    if (known) return Promise.resolve(`slack:post:${known}`);
    if (p.op === 'thread.customer' && p.queue !== undefined) {
      // A new conversation's first post: its queue as the intake saw it names the channel. Remembered
      // as if read, so a conversation moved since is caught by the post's own read (no call, again).
      const channel = this.o.desk.queueOf({ queue: p.queue }).channel;
      this.channels.confirm(p.convId, channel);
      return Promise.resolve(`slack:post:${channel}`);
    }
    return slackDestination(this.o.desk, head);
  }

  async deliver(items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const head = items[0]!;
    const p = head.payload;
    try {
      const threadOp = deliverThreadOp(items, this);
      if (threadOp) return await threadOp;
      switch (p.op) {
        case 'private':
          return await this.direct.ephemeral(p.user, p.text, p.channel, p.thread, p.view ? renderView(p.view).blocks : undefined);
        case 'dm':
          return await this.direct.dm(p.user, p.convId ? `${p.text}\n${await this.direct.threadLink(p.convId)}` : p.text, p.actions, p.file);
        default:
          return { kind: 'failed', consumed: 1, reason: `no ${p.op} delivery on this messenger` };
      }
    } catch (err) {
      return classifySlackError(err, 1, this.o.log, p.op);
    }
  }

  async postInThread(items: readonly OutboxItem[], convId: string): Promise<DeliveryOutcome> {
    const conv = this.opened.take(convId) ?? await this.o.desk.conversations.get(convId);
    if (!conv) return { kind: 'failed', consumed: 1, reason: `conversation ${convId} is gone` };
    const channel = this.o.desk.queueOf(conv).channel;
    // Its destination came from the remembered channel: a post for another channel waits for that one's budget.
    if (!this.channels.confirm(convId, channel)) return { kind: 'progress' };
    const thread = conv.thread;
    if (!thread || thread.platform !== 'slack' || thread.channel !== channel) {
      return { kind: 'progress', afterCall: await this.openThread(conv, channel) };
    }
    const head = items[0]!.payload;
    const itemId = items[0]!.id;
    if (head.op === 'thread.notice') {
      // `<@U…>` is Slack's mention: the person named is notified.
      const pinged = [...(head.mention ? [head.mention] : []), ...(head.mentions ?? [])];
      const text = pinged.length ? `${pinged.map((u) => `<@${u}>`).join(' ')} ${head.text}` : head.text;
      await this.once.post({ channel, thread_ts: thread.thread, text, unfurl_links: false }, postKeys.part(itemId, 0), 1);
      return { kind: 'delivered', consumed: 1 };
    }
    if (head.op === 'thread.customer' && head.attachments?.length) {
      return this.postAttachments(conv, channel, thread.thread, head.text, head.attachments, itemId);
    }
    // Customer messages waiting at the head: one post, unless one alone is over the limit.
    const run = customerRun(items, SLACK_TEXT_LIMIT);
    const joined = run.texts.join('\n');
    const parts = splitText(joined, SLACK_TEXT_LIMIT);
    if (parts.length > 1) {
      // A single text over the limit: send it in parts, one per slot; the item stays until the last.
      const done = await this.progress.step(itemId, parts.length, async (sent) => {
        await this.once.post({ channel, thread_ts: thread.thread, text: parts[sent]!, unfurl_links: false }, postKeys.part(itemId, sent), 1);
      });
      return done ? { kind: 'delivered', consumed: 1 } : { kind: 'progress' };
    }
    // A post found from an interrupted attempt stands for that attempt's run, which may be shorter.
    const posted = await this.once.post({ channel, thread_ts: thread.thread, text: joined, unfurl_links: false, unfurl_media: false }, postKeys.part(itemId, 0), run.count);
    return { kind: 'delivered', consumed: posted.consumed };
  }

  private async postAttachments(conv: Conversation, channel: string, threadTs: string, caption: string, attachments: Attachment[], itemId: string): Promise<DeliveryOutcome> {
    const links: string[] = [];
    for (const a of attachments) {
      const media = a.mediaId ? await this.o.fetchMedia(conv, a) : undefined;
      if (media) {
        await this.client.filesUploadV2({ channel_id: channel, thread_ts: threadTs, file: media.bytes, filename: media.fileName, ...(a.caption || caption ? { initial_comment: a.caption ?? caption } : {}) });
      } else if (a.url) {
        links.push(`📎 <${a.url}|${escape(a.fileName ?? a.kind)}>${a.caption ? ` ${escape(a.caption)}` : ''}`);
      } else {
        links.push(`📎 ${a.kind} (could not be fetched from the channel)`);
      }
    }
    if (links.length) await this.once.post({ channel, thread_ts: threadTs, text: [caption, ...links].filter(Boolean).join('\n') }, postKeys.links(itemId), 1);
    return { kind: 'delivered', consumed: 1 };
  }

  /** Posts the header card (the attempt's call); resolves with the recording of the thread it opened, to run outside the slot. */
  private async openThread(conv: Conversation, channel: string): Promise<() => Promise<void>> {
    // The card's reads go beside the attempt marker's write: one round trip less before the post.
    const carding = this.card(conv);
    const posted = await this.once.post(carding.then((card) => ({ channel, ...renderHeader(card) })), postKeys.header(conv.id, channel, conv.thread?.thread), 1);
    const card = await carding;
    return async () => {
      const { teamId } = await this.o.identity.get();
      const ts = posted.ts;
      if (conv.thread) this.o.log.info({ convId: conv.id, from: conv.thread.channel, to: channel }, 'queue channel changed: opened a new thread for the conversation');
      const saved = await this.o.desk.threadOpened(conv.id, { platform: 'slack', workspace: teamId, channel, thread: ts, header: ts });
      if (!saved) return;
      this.opened.remember(saved);
      // The state may have moved on while the header was being posted.
      if (JSON.stringify(await this.card(saved)) !== JSON.stringify(card)) await this.o.desk.refreshHeader(saved);
    };
  }

  async editHeader(convId: string, run: number): Promise<DeliveryOutcome> {
    const conv = await this.o.desk.conversations.get(convId);
    // No thread yet: the header is rendered from the latest state when it is opened.
    if (!conv?.thread || conv.thread.platform !== 'slack') return { kind: 'delivered', consumed: run };
    await this.client.chat.update({ channel: conv.thread.channel, ts: conv.thread.header, ...renderHeader(await this.card(conv)) });
    return { kind: 'delivered', consumed: run };
  }

  /** ✓ (`white_check_mark`) when delivered; `eyes` (👀) beside it once the customer has seen it. */
  async react(convId: string, ts: string, mark: 'delivered' | 'read'): Promise<DeliveryOutcome> {
    const conv = await this.o.desk.conversations.get(convId);
    if (!conv?.thread) return { kind: 'failed', consumed: 1, reason: 'no thread to react in' };
    try {
      // The outbox's thin path (web-api-call.ts): a ✓ follows every reply, so it is as frequent as the posts.
      await this.o.call('reactions.add', { channel: conv.thread.channel, timestamp: ts, name: mark === 'read' ? 'eyes' : 'white_check_mark' });
    } catch (err) {
      if ((err as { data?: { error?: string } }).data?.error === 'already_reacted') return { kind: 'delivered', consumed: 1 };
      throw err;
    }
    return { kind: 'delivered', consumed: 1 };
  }

  private card(conv: Conversation) {
    return headerCardOf(this.o.desk, this.o.clock, conv);
  }
}
