import type { Conversation, Seat } from '../model.js';
import type { WriteOp } from '../ports.js';
import { lanes } from '../outbox/items.js';
import { scheduleTimerOps, timerIdOf, type Timer } from '../timers.js';
import type { SlaPorts } from './sla-ports.js';
import { slaEventOp } from './sla-events.js';
import { isUnanswered, SLA_TIMERS } from './sla-timer-ops.js';

/** An unclaimed conversation's ping names at most this many online seats: a nudge, not a roll call. */
export const MAX_PINGED_SEATS = 3;

/**
 * `sla-first` fires: if the customer's message is still unanswered, the
 * thread pings the claimer, or, unclaimed, a few of the queue's online
 * seats; the breach is recorded, and the escalation scheduled when the queue
 * has one. Reads only, so firing late or again after a crash decides from
 * the conversation as it is then.
 */
export async function fireFirstResponse(p: SlaPorts, timer: Timer): Promise<WriteOp[] | 'skip'> {
  const conv = await unanswered(p, timer);
  if (!conv) return 'skip';
  const now = p.clock.now();
  const queue = p.queueOf(conv);
  const claimer = await p.conversations.claimer(conv.id);
  const pinged = claimer ? [await p.seats.get(claimer)].filter((s): s is Seat => s !== undefined) : await onlineSeats(p, conv.queue);
  const mentions = pinged.flatMap((s) => s.bindings.filter((b) => b.platform === queue.messenger).map((b) => b.userId));
  const notice = p.outbox.stage(lanes.thread(conv.id), queue.messenger, {
    op: 'thread.notice', convId: conv.id, text: p.words.firstResponse(conv, now - conv.lastCustomerAt, claimer !== undefined),
    ...(mentions.length ? { mentions } : {}),
  });
  return [
    ...notice.ops,
    slaEventOp({ kind: 'first_response', convId: conv.id, queue: conv.queue, ...(claimer ? { seat: claimer } : {}), at: now }),
    ...(p.breach?.({ convId: conv.id, queue: conv.queue, ...(claimer ? { seat: claimer } : {}), at: now }) ?? []),
    ...escalationOps(conv.id, now, queue.service?.sla.escalateAfterMs),
  ];
}

/**
 * `sla-noreply` fires: if the conversation is claimed and its customer still
 * waits, the claimer is reminded in the thread (a mention) and the breach is
 * recorded against them; the escalation follows as after the first ping.
 */
export async function fireNoReply(p: SlaPorts, timer: Timer): Promise<WriteOp[] | 'skip'> {
  const conv = await unanswered(p, timer);
  if (!conv) return 'skip';
  const claimer = await p.conversations.claimer(conv.id);
  if (!claimer) return 'skip';
  const now = p.clock.now();
  const queue = p.queueOf(conv);
  const seat = await p.seats.get(claimer);
  const mention = seat?.bindings.find((b) => b.platform === queue.messenger)?.userId;
  const notice = p.outbox.stage(lanes.thread(conv.id), queue.messenger, {
    op: 'thread.notice', convId: conv.id, text: p.words.noReply(conv, now - conv.lastCustomerAt), ...(mention ? { mention } : {}),
  });
  return [
    ...notice.ops,
    slaEventOp({ kind: 'no_reply', convId: conv.id, queue: conv.queue, seat: claimer, at: now }),
    ...(p.breach?.({ convId: conv.id, queue: conv.queue, seat: claimer, at: now }) ?? []),
    ...escalationOps(conv.id, now, queue.service?.sla.escalateAfterMs),
  ];
}

/** The timer's conversation when it is open and its customer still waits for an answer. */
export async function unanswered(p: Pick<SlaPorts, 'conversations'>, timer: Timer): Promise<Conversation | undefined> {
  const conv = timer.convId ? await p.conversations.get(timer.convId) : undefined;
  return conv && conv.status === 'open' && isUnanswered(conv) ? conv : undefined;
}

/** `escalate_after_seconds` counts from the ping or reminder (SPEC §7 clarifications). */
function escalationOps(convId: string, now: number, afterMs: number | undefined): WriteOp[] {
  if (afterMs === undefined) return [];
  return scheduleTimerOps({ id: timerIdOf(SLA_TIMERS.escalate, convId), kind: SLA_TIMERS.escalate, convId, dueAt: now + afterMs });
}

async function onlineSeats(p: SlaPorts, queue: string): Promise<Seat[]> {
  return (await p.seats.inQueue(queue)).filter((s) => s.enabled && s.presence === 'online').slice(0, MAX_PINGED_SEATS);
}
