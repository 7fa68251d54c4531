import type { Conversation, Seat } from '../model.js';
import type { Clock, StorePort } from '../ports.js';
import type { Locks } from '../lock.js';
import { keys } from '../keys.js';
import type { StatsPorts } from '../stats/stats-recorder.js';

/** What taking a chat for a seat needs: the claim lease, the seat's held chats, the queue's waiting list. */
export interface TakePorts {
  store: Pick<StorePort, 'setIfAbsent' | 'compareAndSet' | 'getString' | 'addMember' | 'removeMember' | 'members' | 'zRemove' | 'set'>;
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

/** The seat-capacity lock: every way a seat gets a chat takes it, so `max` holds across replicas. */
const seatLock = (seatId: string) => `lock:seat-load:${seatId}`;

/**
 * Makes `seat` the conversation's claimer, within its `max` unless `force`:
 * a claim by hand, by first reply, by transfer (`from` = the holder seen) or
 * by assignment all come here. Under the seat's lock, so two replicas never
 * give one seat more than its maximum; the claim lease itself is
 * set-if-absent (or compare-and-set from `from`), so one conversation never
 * gets two claimers.
 *
 * The seat's held-chats entry is written before the lease and taken back if
 * the lease is lost: a crash in between leaves an entry without a lease,
 * which counts against the seat until the next take prunes it (never a
 * chat held beyond the maximum).
 */
export async function takeChat(d: TakePorts, conv: Conversation, seat: Seat, opts: { force?: boolean; from?: string } = {}): Promise<TakeOutcome> {
  return d.locks.run(seatLock(seat.id), async () => {
    // Taken already (by this seat, or by another when none or someone else was expected): said
    // before the seat's room, which would be the wrong reason. Nothing can make this seat the
    // holder but a take under this lock, so a lease naming it is not new.
    const holder = await d.store.getString(keys.claim(conv.id));
    if (holder === seat.id || holder !== opts.from) return { ok: false, reason: 'taken' };
    if (!opts.force) {
      const held = await heldChats(d.store, seat.id);
      if (held.length >= seat.maxChats) return { ok: false, reason: 'full', held: held.length };
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
    await d.store.zRemove(keys.waiting(conv.queue), conv.id);
    await d.store.set(keys.lastSeat(conv.channel, conv.account, conv.customer.id), { seat: seat.id, at: d.clock.now() });
    // One more conversation handled by this seat, however it came to it (a transfer too).
    if (d.stats) await d.stats.store.writeAtomically(d.stats.recorder.handled(conv.queue, seat.id, d.clock.now()));
    return { ok: true };
  });
}

/**
 * The conversations a seat holds: its held-chats entries whose claim lease
 * names it. Entries without one (a close or a crash between two writes) are
 * dropped; called under the seat's lock, so no take is half done meanwhile.
 */
export async function heldChats(store: Pick<StorePort, 'members' | 'getString' | 'removeMember'>, seatId: string): Promise<string[]> {
  const ids = await store.members(keys.seatChats(seatId));
  const holders = await Promise.all(ids.map((id) => store.getString(keys.claim(id))));
  const stale = ids.filter((_, i) => holders[i] !== seatId);
  await Promise.all(stale.map((id) => store.removeMember(keys.seatChats(seatId), id)));
  return ids.filter((_, i) => holders[i] === seatId);
}
