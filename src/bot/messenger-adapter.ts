import type { Dedupe } from '../core/dedupe.js';
import type { Desk } from '../core/desk.js';
import type { Attachment, Conversation, Platform } from '../core/model.js';
import type { Deliverer } from '../core/outbox/deliverer.js';
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

/** What every adapter factory receives besides its own settings. */
export interface AdapterContext {
  desk: Desk;
  log: Logger;
  fetchMedia: MediaFetcher;
  /** Streams an agent's file from whichever messenger holds it (a reply with files to a customer this messenger carries). */
  fetchAgentFile: AgentFileFetcher;
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
}
