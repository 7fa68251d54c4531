import { keys } from '../keys.js';
import type { WriteOp } from '../ports.js';

/**
 * What the desk records when an SLA timer fires, for `/stats` (SPEC §7:
 * overdue conversations, breaches per seat): one JSON event per line of the
 * list `sla-events`, oldest first.
 * - `first_response`: a customer waited past the first-response target
 *   (`seat`: the claimer then, absent when unclaimed);
 * - `no_reply`: the claimer (`seat`) did not answer within `no_reply_seconds`;
 * - `escalated`: the supervisors (`seats`) were DMed about an unanswered conversation;
 * - `urgent`: the supervisors (`seats`) were DMed about an urgent conversation.
 * The first two are breaches; the others say who was told.
 */
export interface SlaEvent {
  kind: 'first_response' | 'no_reply' | 'escalated' | 'urgent';
  convId: string;
  queue: string;
  seat?: string;
  seats?: string[];
  at: number;
}

/** The write that records one event. */
export function slaEventOp(event: SlaEvent): WriteOp {
  return { kind: 'push', key: keys.slaEvents(), values: [JSON.stringify(event)] };
}
