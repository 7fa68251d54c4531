import type { WriteOp } from '../ports.js';
import type { Failure } from '../result.js';
import type { OutboxItem } from './items.js';

/**
 * What a delivery attempt did. A deliverer makes at most one rate-limited call
 * per attempt, so the limiter's budget is the platform's budget.
 */
export type DeliveryOutcome =
  /**
   * The first `consumed` items are done (coalesced items count each). `records`: what the
   * deliverer keeps about the delivery (a sent message's id), written in the same atomic step
   * that removes the items, so the record and the removal happen together or not at all.
   */
  | { kind: 'delivered'; consumed: number; detail?: Record<string, string>; records?: WriteOp[] }
  /**
   * One call was made (the thread was opened, a part of a long text went out); the items stay.
   * `afterCall`: what must follow the call before the lane's next attempt but needs no platform budget
   * (recording the thread the call opened): run after the destination's slot is given back, so
   * the slot holds the call and not the store's writes. If it fails, the attempt counts as a retry
   * (the next one finds the call's result by its attempt marker, as after a crash).
   */
  | { kind: 'progress'; afterCall?: () => Promise<void> }
  /** Nothing was done; try again later. `destinationWide`: the platform said so for the whole destination (429). */
  | { kind: 'retry'; afterMs?: number; reason: string; destinationWide?: boolean }
  /** Cannot be done, ever: drop the first `consumed` items. `failure` is an expected one, said to the agents. */
  | { kind: 'failed'; consumed: number; reason: string; failure?: Failure };

/** One per messenger and per customer channel. */
export interface Deliverer {
  /** The rate-limit destination (a key of `BUDGETS` plus the destination id) the head item will use. */
  destination(head: OutboxItem): Promise<string>;
  /** Delivers the head of a lane; later items are there for coalescing. */
  deliver(items: readonly OutboxItem[]): Promise<DeliveryOutcome>;
}
