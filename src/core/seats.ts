import type { Actor, Platform, Seat } from './model.js';
import type { StorePort, Clock } from './ports.js';
import { keys } from './keys.js';
import type { Locks } from './lock.js';
import { refreshSeatLoad } from './assignment/seat-load.js';

/** Seat storage: a record per seat and an index from messenger user to seat. */
export class Seats {
  /** `locks` keep a seat's read-modify-write whole (see lock.ts). */
  constructor(private readonly store: StorePort, private readonly clock: Clock, private readonly locks: Locks) {}

  /** What keeping a seat's load-index entries needs (assignment/seat-load.ts). */
  private get loadPorts() { return { store: this.store, locks: this.locks }; }

  async get(id: string): Promise<Seat | undefined> {
    return this.store.get<Seat>(keys.seat(id));
  }

  async ofActor(actor: Pick<Actor, 'platform' | 'userId'>): Promise<Seat | undefined> {
    const id = await this.store.getString(keys.seatOfUser(actor.platform, actor.userId));
    return id ? this.get(id) : undefined;
  }

  async list(): Promise<Seat[]> {
    const ids = (await this.store.members(keys.seatIndex())).sort();
    return (await this.store.getMany<Seat>(ids.map((id) => keys.seat(id)))).filter((s): s is Seat => Boolean(s));
  }

  /** Read-modify-write of one seat under its lock (replicas may change it at once). */
  async update(id: string, change: (seat: Seat) => Seat): Promise<{ before: Seat; after: Seat } | undefined> {
    return this.locks.run(`lock:seat:${id}`, async () => {
      const before = await this.get(id);
      if (!before) return undefined;
      const after = change(before);
      await this.save(after);
      return { before, after };
    });
  }

  /** Deletes a seat and its user bindings (its history in the audit log stays). */
  async remove(seat: Seat): Promise<void> {
    for (const b of seat.bindings) await this.store.compareAndDelete(keys.seatOfUser(b.platform, b.userId), seat.id);
    await this.store.removeMember(keys.seatIndex(), seat.id);
    for (const q of seat.queues) await this.store.removeMember(keys.queueSeats(q), seat.id);
    await this.store.writeAtomically(seat.queues.map((q) => ({ kind: 'zRemove', key: keys.queueLoad(q), member: seat.id })));
    await this.store.delete(keys.seat(seat.id));
  }

  /** Conversations the seat holds now. */
  chatsOf(seatId: string): Promise<string[]> {
    return this.store.members(keys.seatChats(seatId));
  }

  /** Drops a conversation from the seat's held chats (a stale entry: the claim lease says otherwise). */
  async forgetChat(seatId: string, convId: string): Promise<void> {
    await refreshSeatLoad(this.loadPorts, seatId, { drop: convId });
  }

  /**
   * Writes a seat, its user bindings and its queues' member sets (assignment's
   * candidates); a change of presence or of enabled is logged (who was online
   * when, for coverage figures), and the listeners hear of it (assignment:
   * a seat that may have room now). Its entries in the queues' load index
   * (assignment/seat-load.ts) follow its presence, enabled, max and queues.
   */
  async save(seat: Seat): Promise<void> {
    const before = await this.get(seat.id);
    await this.store.set(keys.seat(seat.id), seat);
    for (const b of seat.bindings) await this.store.setString(keys.seatOfUser(b.platform, b.userId), seat.id);
    await this.store.addMember(keys.seatIndex(), seat.id);
    for (const q of seat.queues) await this.store.addMember(keys.queueSeats(q), seat.id);
    for (const q of before?.queues ?? []) if (!seat.queues.includes(q)) await this.store.removeMember(keys.queueSeats(q), seat.id);
    await refreshSeatLoad(this.loadPorts, seat.id, { left: before?.queues ?? [] });
    if (!before || before.presence !== seat.presence || before.enabled !== seat.enabled) {
      await this.store.push(keys.presenceLog(), JSON.stringify({ seat: seat.id, presence: seat.enabled ? seat.presence : 'disabled', at: this.clock.now() }));
    }
    for (const listener of this.listeners) listener(seat);
  }

  private readonly listeners: ((seat: Seat) => void)[] = [];

  /** Called after every save (not awaited: a listener must not fail the change). */
  onSaved(listener: (seat: Seat) => void): void {
    this.listeners.push(listener);
  }

  /** The seats of a queue (its member set, each checked against the record). */
  async inQueue(queue: string): Promise<Seat[]> {
    const ids = (await this.store.members(keys.queueSeats(queue))).sort();
    return (await this.store.getMany<Seat>(ids.map((id) => keys.seat(id)))).filter((s): s is Seat => Boolean(s?.queues.includes(queue)));
  }

  /**
   * Fills the queues' member sets and load index from the seat records and
   * their held chats (data written before they existed, or changed while no
   * replica ran), a few seats at a time.
   */
  async indexQueues(): Promise<void> {
    const seats = await this.list();
    for (let i = 0; i < seats.length; i += 16) {
      await Promise.all(seats.slice(i, i + 16).map(async (seat) => {
        for (const q of seat.queues) await this.store.addMember(keys.queueSeats(q), seat.id);
        await refreshSeatLoad(this.loadPorts, seat.id);
      }));
    }
  }

  /**
   * Makes sure every `BOOTSTRAP_ADMINS` entry has an enabled admin seat, so a
   * new install has someone who can run `/seat`. Existing seats keep their
   * other roles and settings.
   */
  async bootstrapAdmins(bindings: readonly { platform: Platform; userId: string }[]): Promise<Seat[]> {
    const out: Seat[] = [];
    for (const b of bindings) {
      const existing = await this.ofActor(b);
      const seat: Seat = existing
        ? { ...existing, enabled: true, roles: existing.roles.includes('admin') ? existing.roles : [...existing.roles, 'admin'] }
        : {
            id: `${b.platform}-${b.userId}`,
            name: `${b.platform}:${b.userId}`,
            bindings: [b],
            roles: ['admin'],
            departments: ['default'],
            // A bootstrap admin runs the desk and is given no chats until added to a queue (SPEC §7).
            queues: [],
            maxChats: 20,
            presence: 'online',
            enabled: true,
            createdAt: this.clock.now(),
          };
      await this.save(seat);
      out.push(seat);
    }
    return out;
  }
}
