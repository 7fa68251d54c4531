import type { Presence } from '../model.js';

/** How a queue hands out new conversations (SPEC §7; default `least_busy`). */
export type Assignment = 'manual' | 'round_robin' | 'least_busy';

/** A seat of the queue as the decision sees it. */
export interface Candidate {
  seatId: string;
  enabled: boolean;
  presence: Presence;
  /** Open conversations it holds now. */
  load: number;
  /** Its `max`. */
  max: number;
  /** When it was last given a conversation by assignment (0: never): round-robin's turn, least-busy's tie-break. */
  lastAssignedAt: number;
}

export interface PickRules {
  assignment: Exclude<Assignment, 'manual'>;
  /** The seat that served this customer last, within the queue's `sticky_days`. */
  sticky?: string;
  /** A seat holding more than `overload` gets nothing while one holds fewer than `underload`. */
  overload: number;
  underload: number;
}

/**
 * The seats that may be given a new conversation, best first. Only enabled,
 * `online` seats below their `max` qualify (`paused` and `away` seats get
 * nothing new). The caller tries them in order: each try is an atomic claim
 * that re-checks the seat's room, so a stale load only costs a try.
 *
 * Overload rebalancing: while any qualifying seat holds fewer than
 * `underload` chats, seats holding more than `overload` are passed over
 * (the seeds' "more than 15 waiting → new chats only to agents under 5").
 * The sticky seat goes first when it qualifies, so a returning customer
 * reaches the agent who knows them.
 */
export function rankSeats(candidates: readonly Candidate[], rules: PickRules): string[] {
  let open = candidates.filter((c) => c.enabled && c.presence === 'online' && c.load < c.max);
  if (open.some((c) => c.load < rules.underload)) open = open.filter((c) => c.load <= rules.overload);
  const order = rules.assignment === 'least_busy'
    ? (a: Candidate, b: Candidate) => a.load - b.load || a.lastAssignedAt - b.lastAssignedAt || compareIds(a.seatId, b.seatId)
    : (a: Candidate, b: Candidate) => a.lastAssignedAt - b.lastAssignedAt || compareIds(a.seatId, b.seatId);
  const ranked = [...open].sort(order).map((c) => c.seatId);
  const sticky = rules.sticky;
  if (sticky !== undefined && ranked.includes(sticky)) return [sticky, ...ranked.filter((id) => id !== sticky)];
  return ranked;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
