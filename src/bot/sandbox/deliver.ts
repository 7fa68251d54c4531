import type { Conversation } from '../../core/model.js';
import { coalesceNoticeRun } from '../../core/outbox/coalesce.js';
import type { Deliverer, DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxItem, OutboxPayload } from '../../core/outbox/items.js';
import { deliverThreadOp, type ThreadDelivery } from '../deliver-thread-op.js';
import { customerRun } from '../kit/customer-run.js';
import { headerCardOf } from '../kit/header-card-of.js';
import { t } from '../../i18n/format.js';
import { queueLanguage } from '../../i18n/choose-language.js';
import type { AdapterContext } from '../messenger-adapter.js';
import type { SandboxBoard } from './board.js';
import { renderHeader } from './render.js';
import { SANDBOX } from './names.js';

/** The page takes texts of any length; runs of customer messages are still joined up to a size a reader takes in. */
const RUN_CHARS = 4000;

export type SandboxDelivererOptions = Pick<AdapterContext, 'desk' | 'clock'>;

/**
 * Turns outbox items into changes of the sandbox board, the page's "platform":
 * a conversation's first post opens its thread with the header card, then
 * posts follow in it. Every write is keyed by the outbox item's id, so a
 * retried item changes nothing twice.
 */
export class SandboxDeliverer implements Deliverer, ThreadDelivery {
  constructor(private readonly board: SandboxBoard, private readonly o: SandboxDelivererOptions) {}

  async destination(head: OutboxItem): Promise<string> {
    const p = head.payload;
    switch (p.op) {
      case 'thread.customer':
      case 'thread.notice':
      case 'thread.header':
      case 'thread.delivered':
        return `${SANDBOX}:board:${p.convId}`;
      case 'private':
      case 'dm':
        return `${SANDBOX}:person:${p.user}`;
      case 'customer.send':
        return `${SANDBOX}:board:none`;
    }
  }

  async deliver(items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const head = items[0]!;
    const p = head.payload;
    const threadOp = deliverThreadOp(items, this);
    if (threadOp) return threadOp;
    switch (p.op) {
      case 'private':
        await this.board.addNote({ id: head.id, kind: 'private', text: p.text, at: this.o.clock.now(), ...(p.thread ? { thread: p.thread } : {}) });
        return { kind: 'delivered', consumed: 1 };
      case 'dm':
        await this.board.addNote({ id: head.id, kind: 'dm', text: dmText(p), at: this.o.clock.now(), ...(await this.threadOf(p.convId)) });
        return { kind: 'delivered', consumed: 1 };
      default:
        return { kind: 'failed', consumed: 1, reason: `no ${p.op} delivery on the sandbox messenger` };
    }
  }

  async postInThread(items: readonly OutboxItem[], convId: string): Promise<DeliveryOutcome> {
    const conv = await this.o.desk.conversations.get(convId);
    if (!conv) return { kind: 'failed', consumed: 1, reason: `conversation ${convId} is gone` };
    const channel = this.o.desk.queueOf(conv).channel;
    const t = conv.thread;
    if (!t || t.platform !== SANDBOX || t.channel !== channel) {
      await this.openThread(conv, channel);
      return { kind: 'progress' };
    }
    const head = items[0]!;
    const p = head.payload;
    const at = this.o.clock.now();
    if (p.op === 'thread.customer' && p.attachments?.length) {
      // The page shows files as lines under the text: their names (and links, where the channel gave one).
      const lines = p.attachments.map((a) => `📎 ${a.fileName ?? a.kind}${a.url ? ` ${a.url}` : ''}${a.caption ? ` ${a.caption}` : ''}`);
      await this.board.addPost(t.thread, { id: head.id, kind: 'customer', author: this.customerName(conv), text: [p.text, ...lines].filter(Boolean).join('\n'), at });
      return { kind: 'delivered', consumed: 1 };
    }
    const notice = p.op === 'thread.notice';
    const run = notice ? coalesceNoticeRun(items, RUN_CHARS) : customerRun(items, RUN_CHARS);
    await this.board.addPost(t.thread, {
      id: head.id, kind: notice ? 'notice' : 'customer', author: notice ? '' : this.customerName(conv), text: run.texts.join('\n'), at,
    });
    return { kind: 'delivered', consumed: run.count };
  }

  async editHeader(convId: string, run: number): Promise<DeliveryOutcome> {
    const conv = await this.o.desk.conversations.get(convId);
    // No thread yet: the header is rendered from the latest state when the thread opens.
    if (conv?.thread?.platform === SANDBOX) await this.board.setHeader(conv.thread.thread, renderHeader(await this.card(conv)));
    return { kind: 'delivered', consumed: run };
  }

  async react(convId: string, messageId: string): Promise<DeliveryOutcome> {
    const conv = await this.o.desk.conversations.get(convId);
    if (conv?.thread?.platform !== SANDBOX || !(await this.board.markDelivered(conv.thread.thread, messageId))) {
      return { kind: 'failed', consumed: 1, reason: 'no such message in a sandbox thread to mark delivered' };
    }
    return { kind: 'delivered', consumed: 1 };
  }

  /** The thread's id is the conversation's, so opening it twice (an outbox retry) finds the first. */
  private async openThread(conv: Conversation, channel: string): Promise<void> {
    const id = `${channel}.${conv.id}`;
    await this.board.openThread(id, conv.id, channel, renderHeader(await this.card(conv)), this.o.clock.now());
    const saved = await this.o.desk.threadOpened(conv.id, { platform: SANDBOX, workspace: channel, channel, thread: id, header: id });
    // The state may have moved on while the thread was being opened.
    if (saved) await this.board.setHeader(id, renderHeader(await this.card(saved)));
  }

  private async threadOf(convId: string | undefined): Promise<{ thread?: string }> {
    const conv = convId ? await this.o.desk.conversations.get(convId) : undefined;
    return conv?.thread?.platform === SANDBOX ? { thread: conv.thread.thread } : {};
  }

  /** The customer as the thread names them: their name, or "Customer" in the queue's language. */
  private customerName(conv: Conversation): string {
    return conv.customer.name ?? t(queueLanguage(this.o.desk.settings, conv.queue), 'word.customer');
  }

  private card(conv: Conversation) {
    return headerCardOf(this.o.desk, this.o.clock, conv);
  }
}

/** A DM as text: the page has no buttons in notes, so actions are said as the commands they stand for. */
function dmText(p: Extract<OutboxPayload, { op: 'dm' }>): string {
  return [p.text, ...(p.actions ?? []).map((a) => `${a.label}: ${a.fallback}`), ...(p.file ? [`📎 ${p.file.name}`] : [])].join('\n');
}
