import type { types, webApi } from '@slack/bolt';
type WebClient = webApi.WebClient;
import type { Conversation, Attachment } from '../../core/model.js';
import { splitText } from '../../core/outbox/coalesce.js';
import type { Deliverer, DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxItem } from '../../core/outbox/items.js';
import { customerRun } from '../kit/customer-run.js';
import { headerCardOf } from '../kit/header-card-of.js';
import { PartProgress } from '../kit/part-progress.js';
import type { AdapterContext } from '../messenger-adapter.js';
import { deliverThreadOp, type ThreadDelivery } from '../deliver-thread-op.js';
import { createReadStream } from 'node:fs';
import { classifySlackError } from './classify-error.js';
import { renderHeader, escape } from './render.js';
import type { SlackIdentity } from './identity.js';
import { AttemptMarkers } from './attempt-markers.js';
import { postKeys, SlackPostOnce } from './post-once.js';

/** chat.postMessage truncates text above 40,000 characters (docs.slack.dev chat.postMessage). */
export const SLACK_TEXT_LIMIT = 40_000;


/** `state` keeps the attempt markers (owned by `instanceId`) and the parts of long texts already posted. */
export type SlackDelivererOptions = Pick<AdapterContext, 'desk' | 'log' | 'fetchMedia' | 'instanceId' | 'state' | 'clock'> & { identity: SlackIdentity };

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

  constructor(private readonly client: WebClient, private readonly o: SlackDelivererOptions) {
    this.once = new SlackPostOnce({ client, markers: new AttemptMarkers(o.state), owner: o.instanceId, clock: o.clock, log: o.log });
    this.progress = new PartProgress(o.state);
  }

  async destination(head: OutboxItem): Promise<string> {
    const p = head.payload;
    switch (p.op) {
      case 'thread.customer':
      case 'thread.notice': {
        const conv = await this.o.desk.conversations.get(p.convId);
        return `slack:post:${conv ? this.o.desk.queueOf(conv).channel : 'unknown'}`;
      }
      case 'thread.header': return 'slack:tier3:chat.update';
      case 'thread.delivered': return 'slack:tier3:reactions.add';
      case 'private': return 'slack:tier4:chat.postEphemeral';
      case 'dm': return `slack:post:dm:${p.user}`;
      case 'customer.send': return 'slack:tier4:invalid';
    }
  }

  async deliver(items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const head = items[0]!;
    const p = head.payload;
    try {
      const threadOp = deliverThreadOp(items, this);
      if (threadOp) return await threadOp;
      switch (p.op) {
        case 'private':
          return await this.ephemeral(p.user, p.text, p.channel, p.thread);
        case 'dm':
          return await this.dm(p.user, p.convId ? `${p.text}\n${await this.threadLink(p.convId)}` : p.text, p.actions, p.file);
        default:
          return { kind: 'failed', consumed: 1, reason: `no ${p.op} delivery on this messenger` };
      }
    } catch (err) {
      return classifySlackError(err, 1, this.o.log, p.op);
    }
  }

  async postInThread(items: readonly OutboxItem[], convId: string): Promise<DeliveryOutcome> {
    const conv = await this.o.desk.conversations.get(convId);
    if (!conv) return { kind: 'failed', consumed: 1, reason: `conversation ${convId} is gone` };
    const channel = this.o.desk.queueOf(conv).channel;
    const thread = conv.thread;
    if (!thread || thread.platform !== 'slack' || thread.channel !== channel) {
      await this.openThread(conv, channel);
      return { kind: 'progress' };
    }
    const head = items[0]!.payload;
    const itemId = items[0]!.id;
    if (head.op === 'thread.notice') {
      await this.once.post({ channel, thread_ts: thread.thread, text: head.text, unfurl_links: false }, postKeys.part(itemId, 0), 1);
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

  private async openThread(conv: Conversation, channel: string): Promise<void> {
    const card = await this.card(conv);
    const posted = await this.once.post({ channel, ...renderHeader(card) }, postKeys.header(conv.id, channel, conv.thread?.thread), 1);
    const { teamId } = await this.o.identity.get();
    const ts = posted.ts;
    if (conv.thread) this.o.log.info({ convId: conv.id, from: conv.thread.channel, to: channel }, 'queue channel changed: opened a new thread for the conversation');
    const saved = await this.o.desk.threadOpened(conv.id, { platform: 'slack', workspace: teamId, channel, thread: ts, header: ts });
    // The state may have moved on while the header was being posted.
    if (saved && JSON.stringify(await this.card(saved)) !== JSON.stringify(card)) await this.o.desk.refreshHeader(saved);
  }

  async editHeader(convId: string, run: number): Promise<DeliveryOutcome> {
    const conv = await this.o.desk.conversations.get(convId);
    // No thread yet: the header is rendered from the latest state when it is opened.
    if (!conv?.thread || conv.thread.platform !== 'slack') return { kind: 'delivered', consumed: run };
    await this.client.chat.update({ channel: conv.thread.channel, ts: conv.thread.header, ...renderHeader(await this.card(conv)) });
    return { kind: 'delivered', consumed: run };
  }

  async react(convId: string, ts: string): Promise<DeliveryOutcome> {
    const conv = await this.o.desk.conversations.get(convId);
    if (!conv?.thread) return { kind: 'failed', consumed: 1, reason: 'no thread to react in' };
    try {
      await this.client.reactions.add({ channel: conv.thread.channel, timestamp: ts, name: 'white_check_mark' });
    } catch (err) {
      if ((err as { data?: { error?: string } }).data?.error === 'already_reacted') return { kind: 'delivered', consumed: 1 };
      throw err;
    }
    return { kind: 'delivered', consumed: 1 };
  }

  /** Ephemeral where the person is; a DM when Slack cannot show it there (not a member of the channel). */
  private async ephemeral(user: string, text: string, channel?: string, thread?: string): Promise<DeliveryOutcome> {
    if (!channel) return this.dm(user, text);
    try {
      await this.client.chat.postEphemeral({ channel, user, text, ...(thread ? { thread_ts: thread } : {}) });
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      if (code === 'user_not_in_channel' || code === 'channel_not_found') return this.dm(user, text);
      throw err;
    }
    return { kind: 'delivered', consumed: 1 };
  }

  /** A link to the conversation's thread: `<workspace url>/archives/<channel>/p<ts without the dot>`. */
  private async threadLink(convId: string): Promise<string> {
    const conv = await this.o.desk.conversations.get(convId);
    if (!conv?.thread || conv.thread.platform !== 'slack') return '(the thread is not open yet)';
    const { url } = await this.o.identity.get();
    return `<${url.replace(/\/?$/, '/')}archives/${conv.thread.channel}/p${conv.thread.thread.replace('.', '')}|Open the thread>`;
  }

  private readonly dmChannels = new Map<string, string>();
  private async dm(user: string, text: string, actions?: { id: string; label: string }[], file?: { path: string; name: string }): Promise<DeliveryOutcome> {
    let channel = this.dmChannels.get(user);
    if (!channel) {
      const opened = await this.client.conversations.open({ users: user });
      channel = (opened.channel as { id: string }).id;
      this.dmChannels.set(user, channel);
    }
    if (file) {
      // Streamed from disk: an export can be large.
      await this.client.filesUploadV2({ channel_id: channel, file: createReadStream(file.path), filename: file.name, initial_comment: text });
      return { kind: 'delivered', consumed: 1 };
    }
    const blocks: types.KnownBlock[] | undefined = actions?.length
      ? [
          { type: 'section', text: { type: 'mrkdwn', text } },
          // A button runs the command its id names (`alerts ack <id>`), as if typed.
          { type: 'actions', elements: actions.map((a, i) => ({ type: 'button', action_id: `tdcmd:${i}`, value: a.id, text: { type: 'plain_text', text: a.label }, style: 'primary' })) },
        ]
      : undefined;
    await this.client.chat.postMessage({ channel, text, ...(blocks ? { blocks } : {}) });
    return { kind: 'delivered', consumed: 1 };
  }

  private card(conv: Conversation) {
    return headerCardOf(this.o.desk, this.o.clock, conv);
  }
}
