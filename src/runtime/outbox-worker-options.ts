import type { AtomicPort, Clock } from '../core/ports.js';
import type { Outbox } from '../core/outbox/outbox.js';
import type { OutboxItem, Via } from '../core/outbox/items.js';
import type { Deliverer, DeliveryOutcome } from '../core/outbox/deliverer.js';
import type { Limiters } from './limiters.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

/** What an `OutboxWorker` works with. */
export interface OutboxWorkerOptions {
  outbox: Outbox;
  atomic: AtomicPort;
  clock: Clock;
  limiters: Limiters;
  deliverers: Partial<Record<Via, Deliverer>>;
  log: Logger;
  metrics: Metrics;
  /** Told about every finished item (delivered or failed), e.g. to mark a reply delivered. */
  onOutcome: (items: readonly OutboxItem[], outcome: DeliveryOutcome) => Promise<void>;
  /** Unique per process: owner of lane leases. */
  instanceId: string;
  /** With several replicas, a lane is worked by one at a time (a lease in the store). */
  shared: boolean;
  pollMs?: number;
  /** Lane lease timing (default LANE_LEASE); tests shorten it. */
  lease?: { ttlMs: number; renewMs: number };
}
