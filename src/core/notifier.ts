import type { Conversation, Platform, Seat } from './model.js';
import type { Outbox } from './outbox/outbox.js';
import { lanes } from './outbox/items.js';
import type { PrivateView } from './overview/private-view.js';

/** What the notifier needs: the outbox, and which messenger a conversation's thread is on. */
export interface NotifierPorts {
  outbox: Pick<Outbox, 'append'>;
  messengerOf: (conv: Pick<Conversation, 'queue'>) => Platform;
}

/** Where a private message shows, when the messenger can show it in place (Slack ephemeral in a thread). */
export interface PrivateWhere { channel?: string; thread?: string }

/** What a mark on an agent's message says: the reply reached the customer, or the customer has seen it. */
export type DeliveryMark = 'delivered' | 'read';

/** Buttons under a DM; messengers without buttons say the `fallback` command instead. */
export interface DmAction { id: string; label: string; fallback: string }

/**
 * Every message the desk itself sends to agents: thread notices, private
 * hints, DMs, delivered marks and header refreshes. Each is one outbox
 * append, on the lane that keeps it in order with its neighbours.
 */
export class Notifier {
  constructor(private readonly ports: NotifierPorts) {}

  /** Queues a notice into the conversation's thread (agents only), pinging `mention` (a user id on that messenger) if given. */
  async notice(conv: Pick<Conversation, 'id' | 'queue'>, text: string, mention?: string): Promise<void> {
    await this.ports.outbox.append(lanes.thread(conv.id), this.ports.messengerOf(conv), { op: 'thread.notice', convId: conv.id, text, ...(mention ? { mention } : {}) });
  }

  /** Queues a message only `user` sees, where they are; `view`: its rich form, `text` being the plain one. */
  async tellPrivately(platform: Platform, user: string, text: string, where?: PrivateWhere, view?: PrivateView): Promise<void> {
    await this.ports.outbox.append(lanes.person(platform, user), platform, {
      op: 'private', platform, user, text, ...(view ? { view } : {}),
      ...(where?.channel ? { channel: where.channel } : {}),
      ...(where?.thread ? { thread: where.thread } : {}),
    });
  }

  /** A DM to a seat on the messenger it uses (its first binding), optionally linking a conversation. */
  async dmSeat(seat: Seat, text: string, convId?: string, file?: { path: string; name: string }, actions?: DmAction[]): Promise<void> {
    const binding = seat.bindings[0];
    if (!binding) return;
    await this.ports.outbox.append(lanes.person(binding.platform, binding.userId), binding.platform, {
      op: 'dm', platform: binding.platform, user: binding.userId, text,
      ...(convId ? { convId } : {}), ...(file ? { file } : {}), ...(actions?.length ? { actions } : {}),
    });
  }

  /**
   * Marks an agent's message in the thread as delivered to the customer (Slack: ✓), or, with
   * `read`, as seen by them (a second reaction, 👀): a mark on the message, never a post per status.
   */
  async markDelivered(conv: Pick<Conversation, 'id' | 'queue'>, agentMessageId: string, mark: DeliveryMark = 'delivered'): Promise<void> {
    await this.ports.outbox.append(lanes.thread(conv.id), this.ports.messengerOf(conv), {
      op: 'thread.delivered', convId: conv.id, messageId: agentMessageId, ...(mark === 'read' ? { mark } : {}),
    });
  }

  /** Has the messenger re-render the header card from the conversation's current state. */
  async refreshHeader(conv: Pick<Conversation, 'id' | 'queue'>): Promise<void> {
    await this.ports.outbox.append(lanes.header(conv.id), this.ports.messengerOf(conv), { op: 'thread.header', convId: conv.id });
  }
}
