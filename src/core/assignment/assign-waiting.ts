import type { Conversation, Seat } from '../model.js';
import type { StorePort } from '../ports.js';
import type { Conversations } from '../conversations.js';
import type { Notifier } from '../notifier.js';
import { keys } from '../keys.js';
import { recordAudit, type AuditWriter } from '../record-audit.js';
import { rankSeats, type Assignment, type Candidate } from './pick-seat.js';
import { takeChat, type TakePorts } from './take-chat.js';
import { QueueCandidates, type CandidatePorts } from './queue-candidates.js';

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
  store: TakePorts['store'] & CandidatePorts['store'] & Pick<StorePort, 'zRangeByScore' | 'zRemove' | 'get'>;
  conversations: Pick<Conversations, 'get'>;
  audit: AuditWriter;
  notifier: Pick<Notifier, 'refreshHeader'>;
  assignmentOf: (queue: string) => QueueAssignment | undefined;
  routing: { overload: number; underload: number };
  /** Tells the seat in the thread that it has the conversation now (the words are made outside core). */
  onAssigned?: (conv: Conversation, seat: Seat) => Promise<void>;
}

export interface Assigned { conv: Conversation; seat: Seat }

/** A read of the queue's load index (queue-candidates.ts). */
type Page = Awaited<ReturnType<QueueCandidates['first']>>;

/** Who audits an assignment: the desk itself, not a person. */
export const DESK_ACTOR = 'desk';

/** Assignment ranks this many of the queue's best seats first, and four times as many each time those all fail. */
const FIRST_FEW = 8;

/**
 * Gives a queue's waiting conversations, oldest first, to its seats that are
 * online and have room (see pick-seat.ts), until none has: the rest keep
 * waiting for the next seat that frees up. Every assignment is a claim
 * made for the seat (take-chat.ts), so across replicas a conversation is
 * assigned once and no seat goes beyond its `max`; a replica that loses a
 * race just moves on. Safe to run at any time, as often as wanted. `more`:
 * it stopped at `limit` with seats still free, so another run may assign more.
 *
 * The seats' loads and turns come from the queue's load index
 * (seat-load.ts), not from every seat's chats: least-busy reads only the
 * first few entries, which are its best seats in order; round-robin, whose
 * order is the turn alone, reads the whole index once per run and ranks
 * the best few of it per conversation.
 */
export async function assignWaiting(d: AssignPorts, queue: string, limit = 50): Promise<{ assigned: Assigned[]; more: boolean }> {
  const none = { assigned: [], more: false };
  const settings = d.assignmentOf(queue);
  if (!settings || settings.assignment === 'manual') return none;
  const pool = new QueueCandidates(d, queue);
  const roundRobin = settings.assignment === 'round_robin';
  // Every candidate comes from the queue's load index: with none there, nobody can be given
  // anything, and the waiting set is not read. Every new conversation kicks its queue, so with
  // nobody online each opening used to read up to `limit` waiting entries (and the oldest one's
  // record and claim) for nothing. Stale waiting entries are skipped by the next run that has seats.
  let page: Page | undefined = await pool.first(roundRobin ? undefined : FIRST_FEW);
  if (page.complete && !page.candidates.length) return none;
  const waiting = await d.store.zRangeByScore(keys.waiting(queue), ALL.min, ALL.max, limit);
  if (!waiting.length) return none;
  const all = roundRobin ? page.candidates : undefined;
  const done: Assigned[] = [];
  for (const { member: convId } of waiting) {
    const [conv, holder] = await Promise.all([d.conversations.get(convId), d.store.getString(keys.claim(convId))]);
    // Closed, moved to another queue, or claimed meanwhile: it waits here no more.
    if (!conv || conv.status === 'closed' || conv.queue !== queue || holder !== undefined) {
      await d.store.zRemove(keys.waiting(queue), convId);
      continue;
    }
    // Least-busy: the first conversation is ranked on the page just read; later ones read it again (loads moved).
    const outcome = await assignOne(d, conv, settings, pool, all, page);
    page = undefined;
    if (outcome === 'nobody') return { assigned: done, more: false }; // the same seats for the next one: it waits too
    if (outcome) done.push(outcome);
  }
  return { assigned: done, more: waiting.length === limit };
}

/**
 * Tries the ranked seats in turn; `nobody` when none could take it. A seat
 * found full is dropped from the index by the take itself, so reading the
 * index again (with more entries) moves on to the next ones.
 */
async function assignOne(d: AssignPorts, conv: Conversation, settings: QueueAssignment, pool: QueueCandidates, all: Candidate[] | undefined, read: Page | undefined): Promise<Assigned | 'nobody' | undefined> {
  const now = d.clock.now();
  // The sticky seat and the first few are read at once (one round trip on Redis).
  const [sticky, firstPage] = await Promise.all([
    settings.stickyDays > 0 ? stickySeat(d, conv, now - settings.stickyDays * DAY_MS) : undefined,
    all ? undefined : read ?? pool.first(FIRST_FEW),
  ]);
  const rules = { assignment: settings.assignment === 'round_robin' ? 'round_robin' as const : 'least_busy' as const, overload: d.routing.overload, underload: d.routing.underload, ...(sticky ? { sticky } : {}) };
  for (let few = FIRST_FEW; ; few *= 4) {
    const page = all ? { candidates: all, complete: true } : few === FIRST_FEW && firstPage ? firstPage : await pool.first(few);
    const candidates = page.candidates;
    if (sticky && !all && !candidates.some((c) => c.seatId === sticky)) {
      const stickyCandidate = await pool.one(sticky);
      if (stickyCandidate) candidates.push(stickyCandidate);
    }
    // Round-robin holds every seat: it ranks the best few of them, then more while those all fail.
    const ranked = rankSeats(candidates, rules, all ? few : Infinity);
    for (const seatId of ranked) {
      const seat = pool.seat(seatId)!;
      const cand = candidates.find((c) => c.seatId === seatId)!;
      const took = await takeChat(d, conv, seat, { assigned: true });
      if (took.ok) {
        cand.load += 1;
        cand.lastAssignedAt = now;
        await recordAudit(d.audit, DESK_ACTOR, 'chat.assign', conv.id, undefined, seat.id, 'ok', sticky === seat.id ? 'sticky' : settings.assignment);
        await d.notifier.refreshHeader(conv);
        await d.onAssigned?.(conv, seat);
        return { conv, seat };
      }
      if (took.reason === 'taken') return undefined; // claimed by hand meanwhile
      cand.load = took.held; // fuller than it looked: the next conversation skips it
    }
    if (all ? ranked.length < few : page.complete) return 'nobody';
  }
}

/** The seat that last served this customer, if it did since `since`. */
async function stickySeat(d: AssignPorts, conv: Conversation, since: number): Promise<string | undefined> {
  const last = await d.store.get<{ seat: string; at: number }>(keys.lastSeat(conv.channel, conv.account, conv.customer.id));
  return last && last.at >= since ? last.seat : undefined;
}
