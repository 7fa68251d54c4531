import type { Seat } from '../model.js';
import type { StorePort, WriteOp } from '../ports.js';
import type { Locks } from '../lock.js';
import { keys } from '../keys.js';

/**
 * The load index (keys.queueLoad): per queue, the seats that may be given a
 * chat now, scored `held chats × TURN_SPAN + last assigned (ms)`, so that the
 * sorted set's own order (score, then member) is least-busy's: fewest chats,
 * then the oldest turn, then the seat id. Assignment reads the first few
 * instead of every seat's chats and turn. It is a hint: take-chat re-checks
 * the seat's room under its lock, and corrects the entry when it was wrong.
 *
 * Every change of a seat's held chats or of what qualifies it (presence,
 * enabled, max, queues) rewrites its entries under the seat's load lock, the
 * lock take-chat holds, so an older count never overwrites a newer one.
 */

/** ms timestamps stay below 2^42 until the year 2109; `load × 2^42 + turn` stays exact below 2^53 for loads up to 2,047. */
export const TURN_SPAN = 2 ** 42;

/** A seat's score in its queues' load index. */
export function loadScore(load: number, turn: number): number {
  return Math.min(load, 2047) * TURN_SPAN + Math.min(Math.max(0, Math.floor(turn)), TURN_SPAN - 1);
}

/** The held chats and the turn a score stands for. */
export function scoreParts(score: number): { load: number; turn: number } {
  const load = Math.floor(score / TURN_SPAN);
  return { load, turn: score - load * TURN_SPAN };
}

/** The seat-capacity lock: every way a seat gets or loses a chat takes it, so `max` holds across replicas. */
export const seatLoadLock = (seatId: string) => `lock:seat-load:${seatId}`;

/** The writes that put a seat's entry right in each of its queues' indexes and take it out of the queues it left. */
export function loadIndexOps(seat: Seat, load: number, turn: number, left: readonly string[] = []): WriteOp[] {
  const qualifies = seat.enabled && seat.presence === 'online' && load < seat.maxChats;
  const score = loadScore(load, turn);
  return [
    ...seat.queues.map((q): WriteOp => (qualifies ? { kind: 'zAdd', key: keys.queueLoad(q), member: seat.id, score } : { kind: 'zRemove', key: keys.queueLoad(q), member: seat.id })),
    ...left.filter((q) => !seat.queues.includes(q)).map((q): WriteOp => ({ kind: 'zRemove', key: keys.queueLoad(q), member: seat.id })),
  ];
}

/** What keeping a seat's entries needs. */
export interface SeatLoadPorts {
  store: Pick<StorePort, 'get' | 'members' | 'getString' | 'removeMember' | 'writeAtomically'>;
  locks: Locks;
}

/**
 * The conversations a seat holds: its held-chats entries whose claim lease
 * names it. Entries without one (a close or a crash between two writes) are
 * dropped; called under the seat's load lock, so no take is half done meanwhile.
 */
export async function heldChats(store: Pick<StorePort, 'members' | 'getString' | 'removeMember'>, seatId: string): Promise<string[]> {
  const ids = await store.members(keys.seatChats(seatId));
  const holders = await Promise.all(ids.map((id) => store.getString(keys.claim(id))));
  const stale = ids.filter((_, i) => holders[i] !== seatId);
  await Promise.all(stale.map((id) => store.removeMember(keys.seatChats(seatId), id)));
  return ids.filter((_, i) => holders[i] === seatId);
}

/**
 * Rewrites a seat's load-index entries from what it holds now, under its load
 * lock. `drop`: a conversation it no longer holds (release, close, transfer
 * away), taken out of its held chats first. `left`: queues it was in before
 * (a save that took it out of some). The record is read under the lock, so
 * of two saves at once the later one's record is what the index ends with.
 */
export async function refreshSeatLoad(d: SeatLoadPorts, seatId: string, o: { drop?: string; left?: readonly string[] } = {}): Promise<void> {
  await d.locks.run(seatLoadLock(seatId), async () => {
    if (o.drop !== undefined) await d.store.removeMember(keys.seatChats(seatId), o.drop);
    const [seat, held, turn] = await Promise.all([
      d.store.get<Seat>(keys.seat(seatId)),
      heldChats(d.store, seatId),
      d.store.getString(keys.seatLastAssigned(seatId)),
    ]);
    if (seat) await d.store.writeAtomically(loadIndexOps(seat, held.length, Number(turn) || 0, o.left));
  });
}
