import type { Attachment, Platform } from '../model.js';
import type { PrivateView } from '../overview/private-view.js';
import type { AgentFile } from '../files/agent-file.js';

/**
 * What the outbox carries: every message to a messenger or a customer is one of
 * these, written to the store before the inbound request is acknowledged and
 * delivered later by a worker (SPEC §3). Platform-neutral: each messenger or
 * channel renders them.
 */
export type OutboxPayload =
  /**
   * A customer's message, posted into the conversation's thread. Consecutive ones may be coalesced.
   * `queue`: the conversation's queue when its first message opened it, a hint for the post's
   * budget (its channel) before anyone has read the record; the deliverer still reads the record.
   */
  | { op: 'thread.customer'; convId: string; text: string; attachments?: Attachment[]; sentAt: number; queue?: string }
  /**
   * A bot notice in the thread (internal: agents only); `mention`: a user id on the thread's messenger, pinged by it;
   * `mentions`: more of them (an SLA ping to a queue's online seats).
   */
  | { op: 'thread.notice'; convId: string; text: string; mention?: string; mentions?: string[] }
  /** Re-render and edit the header card from the conversation's current state. */
  | { op: 'thread.header'; convId: string }
  /** Mark an agent's message as delivered (Slack: ✓ reaction), or with `mark: 'read'` as seen by the customer (👀). */
  | { op: 'thread.delivered'; convId: string; messageId: string; mark?: 'read' }
  /**
   * A message only one agent sees (Slack ephemeral, Telegram DM, Discord ephemeral).
   * With `view`, messengers that can render it show it instead of `text`, its plain-text form.
   */
  | { op: 'private'; platform: Platform; user: string; channel?: string; thread?: string; text: string; view?: PrivateView }
  /** A direct message to an agent; with `convId`, the messenger adds a link to the conversation's thread. */
  | {
      op: 'dm';
      platform: Platform;
      user: string;
      text: string;
      convId?: string;
      /** Buttons under the message (an alert's Acknowledge); messengers without buttons say the command instead. */
      actions?: { id: string; label: string; fallback: string }[];
      /** A file to attach (an export), by path on this machine. */
      file?: { path: string; name: string };
    }
  /** An agent's reply on its way to the customer. */
  | {
      op: 'customer.send';
      convId: string;
      text: string;
      /** The agent message in the messenger, marked delivered on success. */
      agentMessageId?: string;
      author: string;
      /** How the customer sees the agent (core/agent-identity.ts); absent on the desk's own replies and on items of older versions. */
      identity?: { name?: string; prefix?: string };
      /** Files the agent attached, by reference (the channel fetches them from the messenger when it sends); `text` is their caption. */
      files?: AgentFile[];
    }
  /** An approved template to the customer (WhatsApp outside its 24-hour window): `values` fill its body in order. */
  | { op: 'customer.template'; convId: string; name: string; language: string; values: string[]; author: string }
  /**
   * An agent changed a reply the customer already got: `text` is the new
   * wording, absent when the reply was deleted. Only for channels that can
   * change a sent message (their `edits` trait).
   */
  | { op: 'customer.change'; convId: string; agentMessageId: string; text?: string; author: string; /** The agent prefix the reply went out with: an edit keeps it. */ prefix?: string };

export type OutboxOp = OutboxPayload['op'];

/**
 * Which deliverer handles an item: a messenger (`slack`…) or a customer
 * channel (`whatsapp`, `api`), by its module's id.
 */
export type Via = string;

export interface OutboxItem {
  id: string;
  /** Items of one lane are delivered strictly in order (one conversation's thread, one customer). */
  lane: string;
  via: Via;
  payload: OutboxPayload;
  createdAt: number;
  attempts: number;
}

/** Lane names: one per conversation and direction, one per private recipient. */
export const lanes = {
  thread: (convId: string) => `t:${convId}`,
  /** Header edits run beside the thread's posts so they never split a run of customer messages. */
  header: (convId: string) => `h:${convId}`,
  customer: (convId: string) => `c:${convId}`,
  person: (platform: Platform, user: string) => `p:${platform}:${user}`,
};
