import type { Desk } from '../core/desk.js';
import type { Attachment, Conversation, Platform } from '../core/model.js';
import type { Deliverer } from '../core/outbox/deliverer.js';
import type { Route } from '../http/types.js';
import type { Logger } from '../runtime/logger.js';
import type { Metrics } from '../runtime/metrics.js';

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
}

/** What every adapter factory receives besides its own settings. */
export interface AdapterContext {
  desk: Desk;
  log: Logger;
  fetchMedia: MediaFetcher;
  /** Shared state for leader election (polling, gateway) when several replicas run. */
  instanceId: string;
  /** Counters for `/metrics` (inbound deliveries given up on). */
  metrics?: Metrics;
}
