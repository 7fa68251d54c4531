import { keys } from '../core/keys.js';
import type { AtomicPort, BatchPort, SortedSetPort } from '../core/ports.js';
import { cancelTimerOps, parseTimer, type Timer } from '../core/timers.js';
import { acquireLaneLease, SOLE_OWNER_LEASE, type LaneLease } from './lane-lease.js';
import type { Logger } from './logger.js';
import { isPassingFault } from './retry-with-backoff.js';
import type { TimerHandlers } from './timer-handler.js';

/** The store operations firing a timer needs. */
export type TimerStore = Pick<AtomicPort, 'getString' | 'setIfAbsent' | 'compareAndSet' | 'compareAndDelete'>
  & Pick<SortedSetPort, 'zRangeByScore' | 'zScore'> & BatchPort;

/** What firing one timer needs from its scheduler. */
export interface FireContext {
  store: TimerStore;
  handlers: TimerHandlers;
  log: Logger;
  /** Unique per process: owner of timer leases. */
  instanceId: string;
  /** With several replicas, a timer is fired under a lease in the store; alone (embedded store) no lease is needed. */
  shared: boolean;
  lease: { ttlMs: number; renewMs: number };
  /** Told once per unknown kind (the timers of that kind are dropped). */
  unknownKind(kind: string): void;
}

/** How one due timer ended. */
export type FireResult =
  /** Its effects and its removal were written together. */
  | { kind: 'fired'; timer: Timer }
  /** Removed without effects: the handler skipped it, its kind is unknown, or its record was unreadable. */
  | { kind: 'dropped' }
  /** Left alone: another replica holds it, it was moved or cancelled meanwhile, or this lease was lost. */
  | { kind: 'left' }
  /** The handler threw, or the store refused its effects: the timer stays, to be tried again after a backoff. */
  | { kind: 'failed'; error: unknown };

/**
 * Fires the timer `id` found due at `score`, exactly once across replicas and
 * restarts:
 * - a lease (`SET NX PX`, renewed while the handler runs) keeps other
 *   replicas off it meanwhile;
 * - under the lease, the record is read again: a timer another replica fired,
 *   cancelled or moved since the due list was read is left alone;
 * - the handler's effects and the timer's removal go in ONE atomic batch, so a
 *   crash before it fires the timer again after the restart, and a crash
 *   after it cannot repeat it;
 * - just before that batch the record is read once more and the lease
 *   confirmed, so a cancel or reschedule made while the handler ran wins over
 *   its effects. What remains is the one round trip between that check and
 *   the batch: a reschedule landing exactly there is removed with the fired
 *   timer (closing it needs a conditional batch op, which the store lacks).
 */
export async function fireTimer(c: FireContext, id: string, score: number): Promise<FireResult> {
  const lease = await leaseOf(c, id);
  if (!lease) return { kind: 'left' };
  try {
    const raw = await c.store.getString(keys.timer(id));
    const timer = parseTimer(raw);
    if (!timer) {
      // A member without its record is only an unreadable record (both are written in one batch): drop the member.
      if (raw !== undefined || (await c.store.zScore(keys.timers(), id)) === score) {
        c.log.error({ timer: id }, 'timer record is missing or unreadable; dropping the timer');
        await c.store.writeAtomically(cancelTimerOps(id));
        return { kind: 'dropped' };
      }
      return { kind: 'left' };
    }
    if (timer.dueAt !== score) return { kind: 'left' };
    const handler = Object.hasOwn(c.handlers, timer.kind) ? c.handlers[timer.kind] : undefined;
    if (!handler) {
      c.unknownKind(timer.kind);
      if (!(await lease.confirm())) return { kind: 'left' };
      await c.store.writeAtomically(cancelTimerOps(id));
      return { kind: 'dropped' };
    }
    let effects;
    try {
      effects = await handler(timer);
    } catch (error) {
      return { kind: 'failed', error };
    }
    if ((await c.store.getString(keys.timer(id))) !== raw) return { kind: 'left' };
    if (!(await lease.confirm())) return { kind: 'left' };
    try {
      await c.store.writeAtomically(effects === 'skip' ? cancelTimerOps(id) : [...effects, ...cancelTimerOps(id)]);
    } catch (error) {
      // An unreachable store ends the pass; effects the store refuses are the handler's fault, retried with backoff.
      if (isPassingFault(error)) throw error;
      return { kind: 'failed', error };
    }
    return effects === 'skip' ? { kind: 'dropped' } : { kind: 'fired', timer };
  } finally {
    await lease.release();
  }
}

/** The timer's lease, or undefined while another replica fires it. */
function leaseOf(c: FireContext, id: string): Promise<LaneLease | undefined> {
  if (!c.shared) return Promise.resolve(SOLE_OWNER_LEASE);
  return acquireLaneLease({
    atomic: c.store, key: keys.timerLease(id), owner: c.instanceId, ...c.lease,
    onLost: (reason) => c.log.warn({ timer: id, reason }, 'lost the lease of a timer while firing it; its effects are not written, so the replica holding it now fires it'),
  });
}
