import type { Conversation } from '../../../src/core/model.js';
import { coalesceNoticeRun } from '../../../src/core/outbox/coalesce.js';
import type { Deliverer, DeliveryOutcome } from '../../../src/core/outbox/deliverer.js';
import type { OutboxItem, OutboxPayload } from '../../../src/core/outbox/items.js';
import { deliverThreadOp, type ThreadDelivery } from '../../../src/bot/deliver-thread-op.js';
import { customerRun } from '../../../src/bot/kit/customer-run.js';
import { headerCardOf } from '../../../src/bot/kit/header-card-of.js';
import type { AdapterContext } from '../../../src/bot/messenger-adapter.js';
import { EchoApiError, type EchoApi } from './api.js';
import { renderHeader } from './render.js';

/** Echo takes texts of any length; runs are still joined up to a size a reader can take in. */
const RUN_CHARS = 4000;
/** The delivered mark on an agent's message. */
export const DELIVERED_EMOJI = '✅';

export type EchoDelivererOptions = Pick<AdapterContext, 'desk' | 'log' | 'clock'>;

/**
 * Turns outbox items into Echo API calls, one call per attempt: a
 * conversation's first post opens its thread with the header card (the
 * header's id is the thread's), then the messages follow in it. A queue that
 * moved to another channel gets a new thread there, as on the real messengers.
 */
export class EchoDeliverer implements Deliverer, ThreadDelivery {
  constructor(private readonly api: EchoApi, private readonly o: EchoDelivererOptions) {}

  async destination(head: OutboxItem): Promise<string> {
    const p = head.payload;
    switch (p.op) {
      case 'thread.customer':
      case 'thread.notice':
        return `echo:post:${await this.channelOf(p.convId)}`;
      case 'thread.header':
      case 'thread.delivered':
        return `echo:edit:${await this.channelOf(p.convId)}`;
      case 'private':
      case 'dm':
        return `echo:person:${p.user}`;
      case 'customer.template':
      case 'customer.change':
      case 'customer.send':
        return 'echo:post:none';
    }
  }

  async deliver(items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const p = items[0]!.payload;
    try {
      const threadOp = deliverThreadOp(items, this);
      if (threadOp) return await threadOp;
      switch (p.op) {
        case 'private':
          await this.api.private(p.user, p.text, p.channel, p.thread);
          return { kind: 'delivered', consumed: 1 };
        case 'dm':
          await this.api.dm(p.user, await this.dmText(p));
          return { kind: 'delivered', consumed: 1 };
        default:
          return { kind: 'failed', consumed: 1, reason: `no ${p.op} delivery on this messenger` };
      }
    } catch (err) {
      // 4xx: the call can never succeed as it is; anything else (5xx, 429, network) is tried again.
      if (err instanceof EchoApiError && err.status >= 400 && err.status < 500 && err.status !== 429) {
        this.o.log.warn({ op: p.op, err: err.message }, 'Echo refused a call; the item is dropped');
        return { kind: 'failed', consumed: 1, reason: err.message };
      }
      return { kind: 'retry', reason: String(err) };
    }
  }

  async postInThread(items: readonly OutboxItem[], convId: string): Promise<DeliveryOutcome> {
    const conv = await this.o.desk.conversations.get(convId);
    if (!conv) return { kind: 'failed', consumed: 1, reason: `conversation ${convId} is gone` };
    const channel = this.o.desk.queueOf(conv).channel;
    const t = conv.thread;
    if (!t || t.platform !== 'echo' || t.channel !== channel) {
      await this.openThread(conv, channel);
      return { kind: 'progress' };
    }
    const head = items[0]!.payload;
    if (head.op === 'thread.customer' && head.attachments?.length) {
      // Echo has no uploads: files are said as lines under the text.
      const lines = head.attachments.map((a) => `📎 ${a.fileName ?? a.kind}${a.url ? ` ${a.url}` : ''}${a.caption ? ` ${a.caption}` : ''}`);
      await this.api.post(channel, [head.text, ...lines].filter(Boolean).join('\n'), t.thread);
      return { kind: 'delivered', consumed: 1 };
    }
    const run = head.op === 'thread.notice' ? coalesceNoticeRun(items, RUN_CHARS) : customerRun(items, RUN_CHARS);
    await this.api.post(channel, run.texts.join('\n'), t.thread);
    return { kind: 'delivered', consumed: run.count };
  }

  private async openThread(conv: Conversation, channel: string): Promise<void> {
    const header = renderHeader(await this.card(conv));
    const posted = await this.api.post(channel, header);
    if (conv.thread) this.o.log.info({ convId: conv.id, from: conv.thread.channel, to: channel }, 'queue channel changed: opened a new Echo thread for the conversation');
    const saved = await this.o.desk.threadOpened(conv.id, { platform: 'echo', workspace: channel, channel, thread: posted.thread, header: posted.id });
    // The state may have moved on while the header was being posted.
    if (saved && renderHeader(await this.card(saved)) !== header) await this.o.desk.refreshHeader(saved);
  }

  async editHeader(convId: string, run: number): Promise<DeliveryOutcome> {
    const conv = await this.o.desk.conversations.get(convId);
    // No thread yet: the header is rendered from the latest state when the thread opens.
    if (!conv?.thread || conv.thread.platform !== 'echo') return { kind: 'delivered', consumed: run };
    await this.api.edit(conv.thread.channel, conv.thread.header, renderHeader(await this.card(conv)));
    return { kind: 'delivered', consumed: run };
  }

  async react(convId: string, messageId: string, mark: 'delivered' | 'read'): Promise<DeliveryOutcome> {
    const conv = await this.o.desk.conversations.get(convId);
    if (!conv?.thread || conv.thread.platform !== 'echo') return { kind: 'failed', consumed: 1, reason: 'no Echo thread to react in' };
    await this.api.react(conv.thread.channel, messageId, mark === 'read' ? '👀' : DELIVERED_EMOJI);
    return { kind: 'delivered', consumed: 1 };
  }

  /** A DM as text: Echo has no buttons or files, so actions are said as commands and a file by name. */
  private async dmText(p: Extract<OutboxPayload, { op: 'dm' }>): Promise<string> {
    const conv = p.convId ? await this.o.desk.conversations.get(p.convId) : undefined;
    return [
      p.text,
      ...(conv?.thread?.platform === 'echo' ? [`Thread: ${conv.thread.channel}/${conv.thread.thread}`] : []),
      ...(p.actions ?? []).map((a) => `${a.label}: type ${a.fallback}`),
      ...(p.file ? [`📎 ${p.file.name}`] : []),
    ].join('\n');
  }

  private async channelOf(convId: string): Promise<string> {
    const conv = await this.o.desk.conversations.get(convId);
    return conv ? this.o.desk.queueOf(conv).channel : 'unknown';
  }

  private card(conv: Conversation) {
    return headerCardOf(this.o.desk, this.o.clock, conv);
  }
}
