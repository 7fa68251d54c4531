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
 *
 * `limit`: only the best that many, found in one pass without sorting every
 * seat (a queue of thousands is ranked in microseconds); the same seats, in
 * the same order, as the first `limit` of the whole ranking.
 */
export function rankSeats(candidates: readonly Candidate[], rules: PickRules, limit = Infinity): string[] {
  const open: Candidate[] = [];
  let someUnder = false;
  for (const c of candidates) {
    if (!c.enabled || c.presence !== 'online' || c.load >= c.max) continue;
    open.push(c);
    if (c.load < rules.underload) someUnder = true;
  }
  const pool = someUnder ? open.filter((c) => c.load <= rules.overload) : open;
  const order = rules.assignment === 'least_busy' ? byLoad : byTurn;
  const ranked = limit >= pool.length ? pool.sort(order) : best(pool, limit, order);
  const ids = ranked.map((c) => c.seatId);
  const sticky = rules.sticky;
  if (sticky === undefined || ids[0] === sticky || !pool.some((c) => c.seatId === sticky)) return ids;
  return [sticky, ...ids.filter((id) => id !== sticky)].slice(0, limit);
}

type Order = (a: Candidate, b: Candidate) => number;
const byTurn: Order = (a, b) => a.lastAssignedAt - b.lastAssignedAt || compareIds(a.seatId, b.seatId);
const byLoad: Order = (a, b) => a.load - b.load || byTurn(a, b);

/** The `k` first of `pool` in `order`, in order: one pass, each seat compared with the worst kept first. */
function best(pool: readonly Candidate[], k: number, order: Order): Candidate[] {
  const top: Candidate[] = [];
  if (k <= 0) return top;
  for (const c of pool) {
    if (top.length === k && order(c, top[k - 1]!) >= 0) continue;
    let i = Math.min(top.length, k - 1);
    if (top.length === k) top.pop();
    while (i > 0 && order(c, top[i - 1]!) < 0) i -= 1;
    top.splice(i, 0, c);
  }
  return top;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
