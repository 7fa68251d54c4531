import type { Conversation } from '../model.js';
import type { WriteOp } from '../ports.js';
import type { ServiceSettings } from '../service-settings.js';
import { cancelTimerOps, scheduleTimerOps, timerIdOf } from '../timers.js';

/** The SLA timer kinds (SPEC §7); one timer of each kind per conversation, named `<kind>:<convId>`. */
export const SLA_TIMERS = {
  /** A customer message nobody answered: ping the claimer or the queue's online seats. */
  firstResponse: 'sla-first',
  /** The claimer has not answered a customer message: remind them. */
  noReply: 'sla-noreply',
  /** Still unanswered after the ping or reminder: DM the department's supervisors. */
  escalate: 'sla-escalate',
  /** The conversation got `#urgent`: DM the supervisors at once (a timer due now, so it is durable and fires once). */
  urgent: 'sla-urgent',
  /** Nobody wrote for the queue's inactivity time: close it. */
  inactive: 'inactive',
} as const;

export type SlaTimerKind = (typeof SLA_TIMERS)[keyof typeof SLA_TIMERS];

/** Conversation tags that call the supervisors at once (`#urgent`, `#急`, folded as tags are). */
export const URGENT_TAGS: readonly string[] = ['urgent', '急'];

/** Whether the customer's latest message still waits for an agent's reply. */
export function isUnanswered(conv: Pick<Conversation, 'lastCustomerAt' | 'lastAgentAt'>): boolean {
  return conv.lastAgentAt === undefined || conv.lastAgentAt < conv.lastCustomerAt;
}

/** Whether the conversation carries an urgent tag. */
export function isUrgent(conv: Pick<Conversation, 'tags'>): boolean {
  return (conv.tags ?? []).some((t) => URGENT_TAGS.includes(t));
}

/**
 * The timers a customer message sets, for the message's own batch. `before`
 * is the conversation as it was (absent when this message opened it). Only
 * the first message of an unanswered run starts the response clocks: later
 * ones leave them running, so a chatty customer does not push the ping away.
 * The inactivity clock moves with every message. A newly urgent
 * conversation gets its supervisors' DM timer, due now.
 */
export function customerMessageTimerOps(before: Conversation | undefined, after: Conversation, now: number, service: ServiceSettings | undefined): WriteOp[] {
  const ops: WriteOp[] = [];
  const convId = after.id;
  const startsRun = !before || before.status === 'closed' || !isUnanswered(before);
  if (service && startsRun) {
    ops.push(...scheduleTimerOps({ id: timerIdOf(SLA_TIMERS.firstResponse, convId), kind: SLA_TIMERS.firstResponse, convId, dueAt: now + service.sla.firstResponseMs }));
    // Scheduled whatever the claim: on firing it reminds whoever holds the conversation then, if anyone.
    if (service.sla.noReplyMs !== undefined) {
      ops.push(...scheduleTimerOps({ id: timerIdOf(SLA_TIMERS.noReply, convId), kind: SLA_TIMERS.noReply, convId, dueAt: now + service.sla.noReplyMs }));
    }
  }
  if (service && service.inactivityCloseMs > 0) ops.push(...inactivityOps(convId, now, service));
  if (isUrgent(after) && !(before && isUrgent(before))) ops.push(...urgentTimerOps(convId, now));
  return ops;
}

/** The timers an agent's reply settles, for the reply's batch: the response clocks stop, the inactivity clock moves. */
export function agentReplyTimerOps(convId: string, now: number, service: ServiceSettings | undefined): WriteOp[] {
  return [
    ...cancelTimerOps(timerIdOf(SLA_TIMERS.firstResponse, convId)),
    ...cancelTimerOps(timerIdOf(SLA_TIMERS.noReply, convId)),
    ...cancelTimerOps(timerIdOf(SLA_TIMERS.escalate, convId)),
    ...(service && service.inactivityCloseMs > 0 ? inactivityOps(convId, now, service) : []),
  ];
}

/** Schedules the supervisors' DM of an urgent conversation, due now. */
export function urgentTimerOps(convId: string, now: number): WriteOp[] {
  return scheduleTimerOps({ id: timerIdOf(SLA_TIMERS.urgent, convId), kind: SLA_TIMERS.urgent, convId, dueAt: now });
}

/** Cancels a closed conversation's timers; `except` keeps one (the inactivity timer closing it is removed by its own firing). */
export function closedTimerOps(convId: string, except?: SlaTimerKind): WriteOp[] {
  const kinds: SlaTimerKind[] = [SLA_TIMERS.firstResponse, SLA_TIMERS.noReply, SLA_TIMERS.escalate, SLA_TIMERS.inactive];
  return kinds.filter((k) => k !== except).flatMap((k) => cancelTimerOps(timerIdOf(k, convId)));
}

function inactivityOps(convId: string, now: number, service: ServiceSettings): WriteOp[] {
  return scheduleTimerOps({ id: timerIdOf(SLA_TIMERS.inactive, convId), kind: SLA_TIMERS.inactive, convId, dueAt: now + service.inactivityCloseMs });
}
