import type { Conversation, Seat } from '../model.js';
import type { WriteOp } from '../ports.js';
import { keys } from '../keys.js';
import { lanes } from '../outbox/items.js';
import type { Timer } from '../timers.js';
import type { SlaPorts } from './sla-ports.js';
import { slaEventOp } from './sla-events.js';
import { unanswered } from './ping-unanswered.js';

/**
 * `sla-escalate` fires: the customer still waits after the ping or reminder,
 * so every enabled supervisor of the conversation's department gets a DM
 * with a link to the thread, in their own language; the escalation is
 * recorded with who was told.
 */
export async function fireEscalation(p: SlaPorts, timer: Timer): Promise<WriteOp[] | 'skip'> {
  const conv = await unanswered(p, timer);
  if (!conv) return 'skip';
  const now = p.clock.now();
  const supervisors = await supervisorsOf(p, conv);
  return [
    ...supervisors.flatMap((s) => dmOps(p, s, p.words.escalation(conv, s, now - conv.lastCustomerAt), conv.id)),
    slaEventOp({ kind: 'escalated', convId: conv.id, queue: conv.queue, seats: supervisors.map((s) => s.id), at: now }),
  ];
}

/**
 * `sla-urgent` fires (scheduled due at once when the conversation got
 * `#urgent` or `#急`): the department's supervisors get a DM, once per
 * conversation: a mark in the store, written with the DMs, keeps a later
 * re-tag from calling them again.
 */
export async function fireUrgent(p: SlaPorts, timer: Timer): Promise<WriteOp[] | 'skip'> {
  const conv = timer.convId ? await p.conversations.get(timer.convId) : undefined;
  if (!conv || conv.status !== 'open') return 'skip';
  if ((await p.store.getString(keys.slaUrgentSent(conv.id))) !== undefined) return 'skip';
  const now = p.clock.now();
  const supervisors = await supervisorsOf(p, conv);
  return [
    ...supervisors.flatMap((s) => dmOps(p, s, p.words.urgent(conv, s), conv.id)),
    { kind: 'setString', key: keys.slaUrgentSent(conv.id), value: String(now) },
    slaEventOp({ kind: 'urgent', convId: conv.id, queue: conv.queue, seats: supervisors.map((s) => s.id), at: now }),
  ];
}

/** The enabled seats with the supervisor role in the conversation's department. */
async function supervisorsOf(p: SlaPorts, conv: Conversation): Promise<Seat[]> {
  const department = p.queueOf(conv).department;
  return (await p.seats.list()).filter((s) => s.enabled && s.roles.includes('supervisor') && s.departments.includes(department));
}

/** A DM on the messenger the seat uses (its first binding), as Notifier.dmSeat sends it, staged for the timer's batch. */
function dmOps(p: SlaPorts, seat: Seat, text: string, convId: string): WriteOp[] {
  const binding = seat.bindings[0];
  if (!binding) return [];
  return p.outbox.stage(lanes.person(binding.platform, binding.userId), binding.platform, { op: 'dm', platform: binding.platform, user: binding.userId, text, convId }).ops;
}
