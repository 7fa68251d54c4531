import type { Conversation, Seat } from '../model.js';
import type { Clock, StorePort } from '../ports.js';
import type { Locks } from '../lock.js';
import { keys } from '../keys.js';
import { heldChats, loadIndexOps, refreshSeatLoad, seatLoadLock } from './seat-load.js';
import type { StatsPorts } from '../stats/stats-recorder.js';

export { heldChats } from './seat-load.js';

/** What taking a chat for a seat needs: the claim lease, the seat's held chats and load-index entries, the queue's waiting list. */
export interface TakePorts {
  store: Pick<StorePort, 'setIfAbsent' | 'compareAndSet' | 'getString' | 'addMember' | 'removeMember' | 'members' | 'get' | 'writeAtomically'>;
  locks: Locks;
  clock: Clock;
  /** Figures kept as events happen (absent: none kept). */
  stats?: StatsPorts;
}

export type TakeOutcome =
  | { ok: true }
  /** The seat holds `held` chats, its maximum or more. */
  | { ok: false; reason: 'full'; held: number }
  /** Someone (perhaps this seat) holds the claim, or it moved since `from` was read. */
  | { ok: false; reason: 'taken' };

/**
 * Makes `seat` the conversation's claimer, within its `max` unless `force`:
 * a claim by hand, by first reply, by transfer (`from` = the holder seen) or
 * by assignment (`assigned`: this is the seat's turn, round-robin's clock)
 * all come here. Under the seat's load lock, so two replicas never give one
 * seat more than its maximum; the claim lease itself is set-if-absent (or
 * compare-and-set from `from`), so one conversation never gets two claimers.
 *
 * The seat's held-chats entry is written before the lease and taken back if
 * the lease is lost: a crash in between leaves an entry without a lease,
 * which counts against the seat until the next take prunes it (never a
 * chat held beyond the maximum). The seat's load-index entries (seat-load.ts)
 * are rewritten with the count just checked, also when it was found full:
 * an index that said otherwise is corrected here.
 */
export async function takeChat(d: TakePorts, conv: Conversation, seat: Seat, opts: { force?: boolean; from?: string; assigned?: boolean } = {}): Promise<TakeOutcome> {
  const outcome = await d.locks.run(seatLoadLock(seat.id), async (): Promise<TakeOutcome> => {
    // Taken already (by this seat, or by another when none or someone else was expected): said
    // before the seat's room, which would be the wrong reason. Nothing can make this seat the
    // holder but a take under this lock, so a lease naming it is not new.
    // Read together (one round trip on Redis); the seat's chats only change under this lock.
    const [holder, held, record, turn] = await Promise.all([
      d.store.getString(keys.claim(conv.id)),
      heldChats(d.store, seat.id),
      d.store.get<Seat>(keys.seat(seat.id)),
      d.store.getString(keys.seatLastAssigned(seat.id)),
    ]);
    if (holder === seat.id || holder !== opts.from) return { ok: false, reason: 'taken' };
    // The record as stored decides the index entry: the caller's copy may be older.
    const indexed = record ?? seat;
    if (!opts.force && held.length >= seat.maxChats) {
      await d.store.writeAtomically(loadIndexOps(indexed, held.length, Number(turn) || 0));
      return { ok: false, reason: 'full', held: held.length };
    }
    await d.store.addMember(keys.seatChats(seat.id), conv.id);
    const won = opts.from !== undefined
      ? await d.store.compareAndSet(keys.claim(conv.id), opts.from, seat.id)
      : await d.store.setIfAbsent(keys.claim(conv.id), seat.id);
    if (!won) {
      await d.store.removeMember(keys.seatChats(seat.id), conv.id);
      return { ok: false, reason: 'taken' };
    }
    if (opts.from !== undefined) await d.store.removeMember(keys.seatChats(opts.from), conv.id);
    // Claimed: no longer waiting, and this seat is who served the customer last (sticky assignment).
    // One batch with the seat's new count and the sticky record: the lease is visible before
    // these land, so the shorter that gap, the sooner every reader agrees.
    const now = d.clock.now();
    await d.store.writeAtomically([
      { kind: 'zRemove', key: keys.waiting(conv.queue), member: conv.id },
      ...(opts.assigned ? [{ kind: 'setString' as const, key: keys.seatLastAssigned(seat.id), value: String(now) }] : []),
      ...loadIndexOps(indexed, held.length + 1, opts.assigned ? now : Number(turn) || 0),
      // One more conversation handled by this seat, however it came to it (a transfer too).
      ...(d.stats ? d.stats.recorder.handled(conv.queue, seat.id, now) : []),
      { kind: 'setValue', key: keys.lastSeat(conv.channel, conv.account, conv.customer.id), value: { seat: seat.id, at: now } },
    ]);
    return { ok: true };
  });
  // The previous holder has room again: its entries are rewritten under its own lock, after this one
  // is released (two transfers in opposite directions must not wait for each other's lock).
  if (outcome.ok && opts.from !== undefined) await refreshSeatLoad(d, opts.from);
  return outcome;
}
