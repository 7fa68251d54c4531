/** The domain's records. Plain JSON-safe data: they are stored as they are. */

/** A messenger the agents work in: a registered messenger module's id (`slack`, `telegram`, `discord`…). */
export type Platform = string;
/** A channel customers write on: a registered channel module's id (`whatsapp`, `api`, `telegram`: a customer writing to the bot in a private chat). */
export type CustomerChannelName = string;

export type ConversationStatus = 'open' | 'closed';

/** Where a conversation is mirrored: keyed by platform, workspace, channel and thread. */
export interface ThreadRef {
  platform: Platform;
  /** Slack team id; Telegram/Discord: the chat or guild id. */
  workspace: string;
  /** The messenger channel the thread lives in. */
  channel: string;
  /** Slack: the header's ts (= thread_ts); Telegram: topic id; Discord: thread id. */
  thread: string;
  /** The header card's message id, edited as status changes. */
  header: string;
}

export interface Customer {
  /** The channel's own id: WhatsApp wa_id (a phone number: never log it), API customer id. */
  id: string;
  name?: string;
  /** The customer's tags (`vip`), kept across their conversations; on a message: tags its sender gives (the HTTP API's `customer.tags`). */
  tags?: string[];
}

export interface Conversation {
  id: string;
  channel: CustomerChannelName;
  /** Channel account: the WhatsApp phone number id, or the API source name. */
  account: string;
  customer: Customer;
  queue: string;
  status: ConversationStatus;
  /** Seat id of the claimer (mirrors the claim lease). */
  assignee?: string;
  createdAt: number;
  /** Last time the customer wrote: opens the channel's reply window. */
  lastCustomerAt: number;
  lastAgentAt?: number;
  closedAt?: number;
  thread?: ThreadRef;
  /** Colleagues called in (SPEC §5: at most two at a time). */
  escalations?: { by: string; to: string[]; reason: string; at: number }[];
  /** Channel message id of the customer's latest message (WhatsApp replies may quote it). */
  lastCustomerMessageId?: string;
  /** Conversation tags: hashtags of the customer's text (`urgent`), `!tag #…`, and `new` or `returning`. */
  tags?: string[];
  /**
   * A channel that allows a few replies per customer message (WeChat: 5 within 48 h) keeps here
   * what is left and when it ends, so the header can show it; absent for other channels.
   */
  replyAllowance?: { left: number; closesAt: number };
  /** When the desk last sent this conversation the away reply (at most one per interval). */
  awayRepliedAt?: number;
  /** The customer's oldest message not answered yet (cleared by an agent reply): where a response time starts. */
  awaitingSince?: number;
  /** When an agent first replied (the first-response time is this minus `createdAt`). */
  firstResponseAt?: number;
  /** The customer wrote STOP (or 退订), or the channel said they stopped such messages: no templates until they write again. */
  optedOutAt?: number;
}

export interface Attachment {
  kind: 'image' | 'document' | 'audio' | 'video' | 'sticker' | 'file';
  /** A link agents can open, when the channel gives one. */
  url?: string;
  /** The channel's media id, when the bytes must be fetched from it. */
  mediaId?: string;
  mimeType?: string;
  fileName?: string;
  caption?: string;
}

/** A customer message as a channel hands it to the core. */
export interface InboundCustomerMessage {
  channel: CustomerChannelName;
  account: string;
  customer: Customer;
  /** The channel's message id (wamid, API message id): the dedupe key. */
  messageId: string;
  text: string;
  attachments?: Attachment[];
  /** When the customer sent it (ms). */
  sentAt: number;
}

/** One line of a conversation's transcript. */
export interface TranscriptEntry {
  at: number;
  direction: 'in' | 'out' | 'note' | 'event';
  text: string;
  /** Seat id for agent lines. */
  author?: string;
  channelMessageId?: string;
  attachments?: Attachment[];
}

export type Role = 'admin' | 'supervisor' | 'lead' | 'agent' | 'security';
export type Presence = 'online' | 'away' | 'paused';

/** An agent's account, bound to their user ids on one or more messengers. */
export interface Seat {
  id: string;
  name: string;
  bindings: { platform: Platform; userId: string }[];
  roles: Role[];
  departments: string[];
  queues: string[];
  maxChats: number;
  presence: Presence;
  enabled: boolean;
  createdAt: number;
  /** Language of this seat's private answers, DMs and alerts (`en`, `zh-CN`); absent: the desk's. */
  lang?: string;
}

/** Who did something, as a messenger reports them. */
export interface Actor {
  platform: Platform;
  userId: string;
  name?: string;
  /** The user's language as the messenger reports it (Telegram `language_code`, Discord `locale`), if it does. */
  locale?: string;
}
