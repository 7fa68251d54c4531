import type { Conversation, Seat } from '../model.js';
import type { StorePort } from '../ports.js';
import type { Conversations } from '../conversations.js';
import type { Seats } from '../seats.js';
import type { Notifier } from '../notifier.js';
import { keys } from '../keys.js';
import { recordAudit, type AuditWriter } from '../record-audit.js';
import { rankSeats, type Assignment, type Candidate } from './pick-seat.js';
import { takeChat, type TakePorts } from './take-chat.js';

const DAY_MS = 86_400_000;
/** Scores are ms timestamps: this bounds "every member". */
const ALL = { min: 0, max: Number.MAX_SAFE_INTEGER };

/** A queue's assignment settings (SPEC §7 `assignment`, `sticky_days`). */
export interface QueueAssignment {
  assignment: Assignment;
  stickyDays: number;
}

/** What assigning needs. */
export interface AssignPorts extends TakePorts {
  store: TakePorts['store'] & Pick<StorePort, 'zRangeByScore' | 'get' | 'setString'>;
  conversations: Pick<Conversations, 'get'>;
  seats: Pick<Seats, 'inQueue'>;
  audit: AuditWriter;
  notifier: Pick<Notifier, 'refreshHeader'>;
  assignmentOf: (queue: string) => QueueAssignment | undefined;
  routing: { overload: number; underload: number };
  /** Tells the seat in the thread that it has the conversation now (the words are made outside core). */
  onAssigned?: (conv: Conversation, seat: Seat) => Promise<void>;
}

export interface Assigned { conv: Conversation; seat: Seat }

/** Who audits an assignment: the desk itself, not a person. */
export const DESK_ACTOR = 'desk';

/**
 * Gives a queue's waiting conversations, oldest first, to its seats that are
 * online and have room (see pick-seat.ts), until none has: the rest keep
 * waiting for the next seat that frees up. Every assignment is a claim
 * made for the seat (take-chat.ts), so across replicas a conversation is
 * assigned once and no seat goes beyond its `max`; a replica that loses a
 * race just moves on. Safe to run at any time, as often as wanted. `more`:
 * it stopped at `limit` with seats still free, so another run may assign more.
 */
export async function assignWaiting(d: AssignPorts, queue: string, limit = 50): Promise<{ assigned: Assigned[]; more: boolean }> {
  const none = { assigned: [], more: false };
  const settings = d.assignmentOf(queue);
  if (!settings || settings.assignment === 'manual') return none;
  const waiting = await d.store.zRangeByScore(keys.waiting(queue), ALL.min, ALL.max, limit);
  if (!waiting.length) return none;
  const seats = await d.seats.inQueue(queue);
  const candidates = await candidatesOf(d, seats);
  const byId = new Map(seats.map((s) => [s.id, s]));
  const done: Assigned[] = [];
  for (const { member: convId } of waiting) {
    const conv = await d.conversations.get(convId);
    // Closed, moved to another queue, or claimed meanwhile: it waits here no more.
    if (!conv || conv.status === 'closed' || conv.queue !== queue || (await d.store.getString(keys.claim(convId))) !== undefined) {
      await d.store.zRemove(keys.waiting(queue), convId);
      continue;
    }
    const outcome = await assignOne(d, conv, settings, candidates, byId);
    if (outcome === 'nobody') return { assigned: done, more: false }; // the same seats for the next one: it waits too
    if (outcome) done.push(outcome);
  }
  return { assigned: done, more: waiting.length === limit };
}

/** Tries the ranked seats in turn; `nobody` when none could take it. */
async function assignOne(d: AssignPorts, conv: Conversation, settings: QueueAssignment, candidates: Candidate[], byId: Map<string, Seat>): Promise<Assigned | 'nobody' | undefined> {
  const now = d.clock.now();
  const sticky = settings.stickyDays > 0 ? await stickySeat(d, conv, now - settings.stickyDays * DAY_MS) : undefined;
  const ranked = rankSeats(candidates, { assignment: settings.assignment === 'round_robin' ? 'round_robin' : 'least_busy', overload: d.routing.overload, underload: d.routing.underload, ...(sticky ? { sticky } : {}) });
  for (const seatId of ranked) {
    const seat = byId.get(seatId)!;
    const cand = candidates.find((c) => c.seatId === seatId)!;
    const took = await takeChat(d, conv, seat);
    if (took.ok) {
      cand.load += 1;
      cand.lastAssignedAt = now;
      await d.store.setString(keys.seatLastAssigned(seat.id), String(now));
      await recordAudit(d.audit, DESK_ACTOR, 'chat.assign', conv.id, undefined, seat.id, 'ok', sticky === seat.id ? 'sticky' : settings.assignment);
      await d.notifier.refreshHeader(conv);
      await d.onAssigned?.(conv, seat);
      return { conv, seat };
    }
    if (took.reason === 'taken') return undefined; // claimed by hand meanwhile
    cand.load = took.held; // fuller than it looked: the next conversation skips it
  }
  return 'nobody';
}

/** Each seat's load and turn, read once per run and kept up to date by it. */
async function candidatesOf(d: AssignPorts, seats: readonly Seat[]): Promise<Candidate[]> {
  const online = seats.filter((s) => s.enabled && s.presence === 'online');
  return Promise.all(online.map(async (s) => ({
    seatId: s.id, enabled: s.enabled, presence: s.presence, max: s.maxChats,
    load: (await d.store.members(keys.seatChats(s.id))).length,
    lastAssignedAt: Number(await d.store.getString(keys.seatLastAssigned(s.id))) || 0,
  })));
}

/** The seat that last served this customer, if it did since `since`. */
async function stickySeat(d: AssignPorts, conv: Conversation, since: number): Promise<string | undefined> {
  const last = await d.store.get<{ seat: string; at: number }>(keys.lastSeat(conv.channel, conv.account, conv.customer.id));
  return last && last.at >= since ? last.seat : undefined;
}
