/**
 * The ports the domain needs from the outside world. `src/core` declares them;
 * `src/store` implements them for the embedded store and for Redis; tests may
 * implement them in memory. Nothing here does I/O by itself.
 */

/**
 * Time source, and the only way core waits. Production uses the system clock
 * (src/runtime/system-clock.ts); tests pass a fake one.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolves once `ms` milliseconds of this clock's time have passed (a fake clock may just move itself on). */
  sleep(ms: number): Promise<void>;
}

/**
 * Plain JSON values by key (keyv underneath). Values are serialised as JSON,
 * so only JSON-safe data goes in. `ttlMs` expires the key.
 */
export interface KeyValuePort {
  get<T>(key: string): Promise<T | undefined>;
  getMany<T>(keys: readonly string[]): Promise<(T | undefined)[]>;
  set<T>(key: string, value: T, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<boolean>;
}

/**
 * Atomic operations on string values. keyv has no set-if-absent, so these go
 * to Redis directly (`SET NX PX`, compare-and-delete in Lua) or, on the
 * embedded store, through an in-process lock (the embedded store is owned by
 * exactly one process: see the DATA_DIR lock).
 *
 * Atomic keys are a key space of their own: a key written with `setIfAbsent`
 * is read with `getString`, never with `KeyValuePort.get`.
 */
/**
 * How durable a write is when it resolves. `power` (the default): it survives
 * a power cut. `process`: it survives this process being killed, not yet a
 * power cut (the embedded store resolves it at its COMMIT, before the fsync).
 * Only for marks whose loss can cause a repeat, never a loss: a post's
 * attempt marker, whose fsync would otherwise sit inside the channel's slot.
 */
export interface WriteOptions {
  durability?: 'power' | 'process';
}

export interface AtomicPort {
  /** Sets `key` to `value` only if it has no value. True when this call won. */
  setIfAbsent(key: string, value: string, ttlMs?: number, options?: WriteOptions): Promise<boolean>;
  getString(key: string): Promise<string | undefined>;
  /** Unconditional write of an atomic key. */
  setString(key: string, value: string, ttlMs?: number, options?: WriteOptions): Promise<void>;
  /** Deletes `key` only if it holds `expected`. True when it did. */
  compareAndDelete(key: string, expected: string): Promise<boolean>;
  /** Replaces `expected` by `next` (and sets the TTL, if given). True when it did. */
  compareAndSet(key: string, expected: string, next: string, ttlMs?: number): Promise<boolean>;
  /** Deletes an atomic key whatever it holds. */
  deleteString(key: string): Promise<void>;
}

/** Append-only lists of strings with head removal (Redis lists). */
export interface ListPort {
  /** Appends at the tail; returns the new length. */
  push(key: string, ...values: string[]): Promise<number>;
  /** Appends `value` and applies `along` in the same atomic write (as BatchPort does); returns the list's new length. */
  pushWith(key: string, value: string, along: readonly WriteOp[]): Promise<number>;
  /** Items from `start` to `stop` inclusive; negative indexes count from the end (like LRANGE). */
  range(key: string, start: number, stop: number): Promise<string[]>;
  /** Removes `count` items from the head. */
  dropHead(key: string, count: number): Promise<void>;
  length(key: string): Promise<number>;
}

/**
 * Leases (an owner's right to work something, e.g. an outbox lane) taken
 * together with the first read the work needs, in one store call: on Redis
 * one script and one round trip instead of a SET NX and then an LRANGE.
 */
export interface LeasePort {
  /**
   * Takes the atomic key `leaseKey` for `owner` for `ttlMs`: sets it when it
   * has no value, or renews it when it already names `owner` (a lease is
   * re-entrant for its owner). When taken, returns the items of list
   * `listKey` from `start` to `stop` (as `range`), read in the same atomic
   * step; undefined, having read nothing, while another owner holds it.
   */
  takeLeaseAndRange(leaseKey: string, owner: string, ttlMs: number, listKey: string, start: number, stop: number): Promise<string[] | undefined>;
  /**
   * `removeMemberIfListEmpty(setKey, member, listKey)` and, only when it
   * removed the member, `compareAndDelete(leaseKey, owner)`, in one atomic
   * step: the work is done and its lease given back together. True when
   * the member was removed.
   */
  removeMemberIfListEmptyReleasing(setKey: string, member: string, listKey: string, leaseKey: string, owner: string): Promise<boolean>;
  /**
   * The lease holder's write after finishing a list's head, in one atomic step (on Redis one
   * script, one round trip, instead of a renewal, a MULTI and a retirement). With `lease`, only
   * while the atomic key `lease.key` names `lease.owner`: 'lost', having written nothing,
   * otherwise. Drops `count` items from the head of `listKey` and applies `along`; then, with
   * `retire`, removes `retire.member` from the set `retire.setKey` if the list is now empty,
   * deleting the lease with it: 'retired'. Else 'held', the lease renewed for `lease.ttlMs`.
   */
  settleListHead(o: SettleListHead): Promise<'lost' | 'held' | 'retired'>;
}

/** What LeasePort.settleListHead writes. */
export interface SettleListHead {
  listKey: string;
  count: number;
  along: readonly WriteOp[];
  lease?: { key: string; owner: string; ttlMs: number };
  retire?: { setKey: string; member: string };
}

/** Unordered sets of strings. */
export interface SetPort {
  addMember(key: string, member: string): Promise<void>;
  removeMember(key: string, member: string): Promise<void>;
  members(key: string): Promise<string[]>;
  /**
   * Removes `member` from set `setKey` only if the list `listKey` is empty,
   * atomically with respect to `push` on that list. True when removed.
   * (The outbox uses it to retire a lane without losing a concurrent append.)
   */
  removeMemberIfListEmpty(setKey: string, member: string, listKey: string): Promise<boolean>;
}

/**
 * Members ordered by a numeric score (Redis sorted sets). Equal scores order
 * by member. Scores are finite numbers (ms timestamps, counts): NaN and
 * ±Infinity are refused with a RangeError, as Redis has no NaN and an
 * infinite score would sort outside every range a caller asks for.
 */
export interface SortedSetPort {
  /** Adds `member` with `score`, or moves it to `score`. */
  zAdd(key: string, member: string, score: number): Promise<void>;
  /** Removes `member`; true when it was there. */
  zRemove(key: string, member: string): Promise<boolean>;
  /** The member's score, or undefined. */
  zScore(key: string, member: string): Promise<number | undefined>;
  /** Members with min <= score <= max, ascending (score, then member), at most `limit` (default all). */
  zRangeByScore(key: string, min: number, max: number, limit?: number): Promise<{ member: string; score: number }[]>;
  /** How many members. */
  zCard(key: string): Promise<number>;
}

/**
 * Integer counters kept as events happen (figures: opened, closed, response
 * times…). A key space of their own: a counter is written only by an `incr`
 * write op and read only here. A counter never written reads 0.
 */
export interface CounterPort {
  /** The counters' values, in the order of `keys` (0 for one never written); one round trip however many. */
  counters(keys: readonly string[]): Promise<number[]>;
}

/** One write of an atomic batch: a KV record, a list push, a set member, an atomic key, a sorted-set member or a counter. */
export type WriteOp =
  /** KeyValuePort.set: the same JSON value in the same key space, read back with `get`; `ttlMs` checked as `set` checks it. */
  | { kind: 'setValue'; key: string; value: unknown; ttlMs?: number }
  | { kind: 'push'; key: string; values: readonly string[] }
  | { kind: 'addMember'; key: string; member: string }
  | { kind: 'setString'; key: string; value: string; ttlMs?: number }
  /** Deletes an atomic key whatever it holds (AtomicPort.deleteString); a missing key is no error. */
  | { kind: 'deleteString'; key: string }
  /** Removes `count` items from the head of a list (ListPort.dropHead). */
  | { kind: 'dropHead'; key: string; count: number }
  /** SortedSetPort.zAdd. */
  | { kind: 'zAdd'; key: string; member: string; score: number }
  /** SortedSetPort.zRemove; a missing member is no error. */
  | { kind: 'zRemove'; key: string; member: string }
  /** Adds `by` (a safe integer, negative to count down) to a counter (CounterPort); Redis INCRBY, SQLite `value = value + by`. */
  | { kind: 'incr'; key: string; by: number };

/**
 * Several writes that take effect together or not at all (Redis MULTI/EXEC, a
 * SQLite transaction). An inbound event's effect and its "processed" mark are
 * written in one batch, so a crash can neither lose the effect of an event
 * marked processed nor repeat the effect of one that was not.
 */
export interface BatchPort {
  writeAtomically(ops: readonly WriteOp[]): Promise<void>;
}

/** A spacing check (SpacingPort): the call's place is reserved (and where the schedule stood), or it must wait. */
export type SpacingReservation = { go: true; tatBefore: number } | { go: false; waitMs: number };

/**
 * The state of a send budget's spacing (GCRA, core/outbox/gcra.ts), kept as a
 * number in an atomic key, so calls that overlap (and replicas) each reserve
 * their own place in one schedule.
 */
export interface SpacingPort {
  /**
   * Atomically reads the theoretical arrival time in `key` (0 when absent, at
   * least `floor`) and checks it with `checkGcra`: when the call may go now,
   * stores the new one with `ttlMs`; otherwise changes nothing and says how
   * long to wait. Rejects, changing nothing, when the key holds something
   * that is not a finite number.
   */
  reserveSpacing(key: string, o: { now: number; intervalMs: number; burst: number; floor: number; ttlMs: number }): Promise<SpacingReservation>;
  /**
   * Moves the schedule in `key` later by `byMs` (atomically, with `ttlMs`):
   * a call went later than its reservation assumed, so every place reserved
   * after it moves with it. Nothing when the key is gone (a full budget).
   */
  shiftSpacing(key: string, byMs: number, ttlMs: number): Promise<void>;
}

/** Everything the domain stores, behind one object. */
export interface StorePort extends KeyValuePort, AtomicPort, ListPort, LeasePort, SetPort, SortedSetPort, CounterPort, BatchPort, SpacingPort {
  readonly kind: 'embedded' | 'redis';
  /** Throws when the store cannot be reached (used by /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
