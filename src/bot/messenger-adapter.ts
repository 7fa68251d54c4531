import type { Dedupe } from '../core/dedupe.js';
import type { Desk } from '../core/desk.js';
import type { Attachment, Conversation, Platform } from '../core/model.js';
import type { Deliverer, DeliveryOutcome } from '../core/outbox/deliverer.js';
import type { OutboxPayload } from '../core/outbox/items.js';
import type { Clock } from '../core/ports.js';
import type { AgentFileFetcher } from '../core/files/agent-file-stream.js';
import type { Route } from '../http/types.js';
import type { LeaseStore } from '../runtime/leader-lease.js';
import type { Logger } from '../runtime/logger.js';
import type { Metrics } from '../runtime/metrics.js';
import type { StatePort } from './kit/state-port.js';

/** Fetches a customer's media from its channel so a messenger can upload it into the thread. */
export type MediaFetcher = (conv: Conversation, attachment: Attachment) => Promise<{ bytes: Buffer; fileName: string } | undefined>;

/** What every messenger folder (`src/bot/<messenger>/adapter.ts`) hands the composition root. */
export interface MessengerAdapter {
  readonly platform: Platform;
  /** HTTP routes on the bot's one server (webhooks); empty for socket transports. */
  readonly routes: Route[];
  /** Turns outbox items for this messenger into its API calls. */
  readonly deliverer: Deliverer;
  /** Opens sockets, registers commands, starts polling: whatever the transport needs. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Throws when the messenger cannot be reached with the configured credentials (for /readyz). */
  ping(): Promise<void>;
  /** Streams a file an agent attached in a thread (its reference from the update), for the customer's channel to send. */
  fetchAgentFile?: AgentFileFetcher;
}

/** An agent's reply to a carried channel's customer, as the messenger's bot sends it. */
export interface CarriedSend {
  /** Sends `text` in parts of the platform's size, one per call; true once the last went out. `onSent` learns each part's message id. */
  sendInParts(itemId: string, chat: string, text: string, onSent?: (index: number, messageId: string) => Promise<void>): Promise<boolean>;
  /** Why the platform refused the message for good (blocked bot, bad content), or undefined to retry. */
  refusal(err: unknown): { code: string; reason: string } | undefined;
  /** Sends one file (one call): by the platform's own id for it (`ref`), or uploaded from `body`; a photo shows inline. */
  sendFile(chat: string, file: CarriedFile): Promise<void>;
}

/** A file for `CarriedSend.sendFile`: the platform's own id of it, or its bytes as a stream with its name. */
export interface CarriedFile {
  as: 'photo' | 'document';
  name: string;
  ref?: string;
  body?: AsyncIterable<Uint8Array>;
  caption?: string;
}

/** An agent's edit or delete of a reply a carried channel's customer got, as the messenger's bot makes it (its own messages). */
export interface CarriedChange extends Pick<CarriedSend, 'refusal'> {
  edit(chat: string, messageId: string, text: string): Promise<void>;
  remove(chat: string, messageId: string): Promise<void>;
  /** A new message (an edit longer than the reply's parts); its id. */
  send(chat: string, text: string): Promise<string>;
  /** Makes call `index` of `total`, one per attempt, counted in the store like a long text's parts; true after the last. */
  step(itemId: string, total: number, call: (index: number) => Promise<void>): Promise<boolean>;
  /** The call found nothing left to change: the message already says that, or is gone. */
  alreadyDone(err: unknown): boolean;
  /** The longest text of one message. */
  textLimit: number;
}

/**
 * A customer channel that rides on a messenger's own bot (Telegram's private
 * chats: one token, one update stream). The composition root hands the
 * channel's side to the messenger, so neither folder imports the other. The
 * messenger passes its SDK's message objects through as they are.
 */
export interface CarriedChannel<M = unknown> {
  /** The messenger whose bot carries it (its module id). */
  readonly by: string;
  receiveMessage(message: M, me: { id: number }): Promise<void>;
  receiveEdit(message: M, me: { id: number }): Promise<void>;
  send(via: CarriedSend, itemId: string, p: Extract<OutboxPayload, { op: 'customer.send' }>): Promise<DeliveryOutcome>;
  /** An agent's edit or delete of a reply (absent: the channel cannot change a sent message). */
  change?(via: CarriedChange, itemId: string, p: Extract<OutboxPayload, { op: 'customer.change' }>): Promise<DeliveryOutcome>;
}

/** What every adapter factory receives besides its own settings. */
export interface AdapterContext {
  desk: Desk;
  log: Logger;
  fetchMedia: MediaFetcher;
  /** This process (unique per start): owner of leases and attempt markers. */
  instanceId: string;
  /** Counters for `/metrics` (inbound deliveries given up on). */
  metrics?: Metrics;
  /** The adapter's own state in the shared store, its keys scoped to `<messenger>:`. */
  state: StatePort;
  /** The processed-once marks of inbound deliveries (see `process-once.ts`). */
  dedupe: Dedupe;
  clock: Clock;
  /** Where leader leases (polling, gateway) live when several replicas run. */
  leases: LeaseStore;
  /** The customer channel this messenger's bot carries, when it is configured (see CarriedChannel). */
  carried?: CarriedChannel;
}
