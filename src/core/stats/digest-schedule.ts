import { addDays, instantOf, localTime } from '../hours/local-time.js';
import { scheduleTimerOps, timerIdOf } from '../timers.js';
import type { StorePort, WriteOp } from '../ports.js';
import { keys } from '../keys.js';

/**
 * The weekly digest's timer kind. One pending timer per department, its id
 * naming the Monday (`stats-digest:<department>:<date>`): the firing's batch
 * removes the fired id after the handler's writes, so the next week's timer
 * needs an id of its own.
 */
export const DIGEST_KIND = 'stats-digest';

/** Atomic key: the id of a department's pending digest timer (is one scheduled?). */
const nextDigestKey = (department: string) => `stats-digest-next:${department}`;

/** The digest goes out on Mondays at 09:00, department time (issue 13 item 6). */
const DIGEST_WEEKDAY = 1;
const DIGEST_MINUTE = 9 * 60;

/** The id of a department's digest timer for one local date. */
export function digestTimerId(department: string, date: string): string {
  return timerIdOf(DIGEST_KIND, `${department}:${date}`);
}

/** The first Monday 09:00 in `timeZone` strictly after `after` (DST-correct: 09:00 on the wall clock). */
export function nextDigestAt(after: number, timeZone: string): number {
  const today = localTime(after, timeZone);
  const monday = addDays(today.date, (DIGEST_WEEKDAY - today.weekday + 7) % 7);
  const at = instantOf(monday, DIGEST_MINUTE, timeZone);
  return at > after ? at : instantOf(addDays(monday, 7), DIGEST_MINUTE, timeZone);
}

/** The writes that schedule a department's next digest after `after`, and mark it as the pending one. */
export function scheduleDigestOps(department: string, after: number, timeZone: string): WriteOp[] {
  const dueAt = nextDigestAt(after, timeZone);
  const id = digestTimerId(department, localTime(dueAt, timeZone).date);
  return [...scheduleTimerOps({ id, kind: DIGEST_KIND, dueAt, data: { department } }), { kind: 'setString', key: nextDigestKey(department), value: id }];
}

/**
 * At start: schedules a department's next digest unless one is pending (a
 * digest missed while the desk was down is still pending, and fires late).
 * Safe on several replicas at once: they write the same id and time.
 */
export async function ensureDigestScheduled(store: Pick<StorePort, 'getString' | 'zScore' | 'writeAtomically'>, department: string, now: number, timeZone: string): Promise<void> {
  const pending = await store.getString(nextDigestKey(department));
  if (pending && (await store.zScore(keys.timers(), pending)) !== undefined) return;
  await store.writeAtomically(scheduleDigestOps(department, now, timeZone));
}
