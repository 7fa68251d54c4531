import { keys } from './keys.js';
import type { WriteOp } from './ports.js';

/** JSON a timer may carry: what its handler needs and cannot read from the store. */
export type TimerData = string | number | boolean | null | TimerData[] | { [field: string]: TimerData };

/** Something to do at a time: fired once by the scheduler (src/runtime/timer-scheduler.ts). */
export interface Timer {
  /** Unique among pending timers; a second schedule under the same id replaces the first. */
  id: string;
  /** Which handler fires it, e.g. `sla-first`. */
  kind: string;
  convId?: string;
  /** Epoch ms, on the desk's Clock. */
  dueAt: number;
  data?: TimerData;
}

/** Records stay small: they are read on every firing, and a timer is a reminder, not a payload. */
export const MAX_TIMER_DATA_CHARS = 2048;

/** A timer that cannot be scheduled: a caller bug, thrown with a stable code. */
export class InvalidTimerError extends Error {
  readonly code = 'invalid_timer';

  constructor(reason: string) {
    super(`Cannot schedule this timer: ${reason}.`);
    this.name = 'InvalidTimerError';
  }
}

/**
 * The id of the one timer of a kind for a subject (`sla-first:<convId>`), so
 * that scheduling it again moves it and cancelling it needs nothing but the
 * subject.
 */
export function timerIdOf(kind: string, subject: string): string {
  return `${kind}:${subject}`;
}

/**
 * The writes that schedule `timer` (or move it, under the same id): its
 * record and its place in the due-time index. Written by the caller, in the
 * same atomic batch as the effects that made it necessary.
 *
 * @throws InvalidTimerError for an empty id or kind, a due time that is not a
 *   finite number, or data larger than {@link MAX_TIMER_DATA_CHARS}.
 */
export function scheduleTimerOps(timer: Timer): WriteOp[] {
  const record = JSON.stringify(checkTimer(timer));
  return [
    { kind: 'setString', key: keys.timer(timer.id), value: record },
    { kind: 'zAdd', key: keys.timers(), member: timer.id, score: timer.dueAt },
  ];
}

/** The writes that remove a timer, pending or not (removing an absent one changes nothing). */
export function cancelTimerOps(id: string): WriteOp[] {
  return [
    { kind: 'zRemove', key: keys.timers(), member: id },
    { kind: 'deleteString', key: keys.timer(id) },
  ];
}

/** The earliest due time a batch schedules (its timer index entries), so the scheduler can be woken for it; undefined: none. */
export function earliestDue(ops: readonly WriteOp[]): number | undefined {
  const due = ops.flatMap((op) => (op.kind === 'zAdd' && op.key === keys.timers() ? [op.score] : []));
  return due.length ? Math.min(...due) : undefined;
}

/** A stored record read back, or undefined when it is missing or not a timer (then the timer is dropped). */
export function parseTimer(raw: string | undefined): Timer | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<Timer> | null;
    if (!value || typeof value.id !== 'string' || typeof value.kind !== 'string' || typeof value.dueAt !== 'number') return undefined;
    return value as Timer;
  } catch {
    return undefined;
  }
}

function checkTimer(timer: Timer): Timer {
  if (!timer.id) throw new InvalidTimerError('the id is empty');
  if (!timer.kind) throw new InvalidTimerError(`timer ${timer.id} has no kind`);
  if (!Number.isFinite(timer.dueAt)) throw new InvalidTimerError(`timer ${timer.id} is due at ${timer.dueAt}, not a time`);
  const { id, kind, convId, dueAt, data } = timer;
  if (data !== undefined && JSON.stringify(data).length > MAX_TIMER_DATA_CHARS) {
    throw new InvalidTimerError(`timer ${id} carries more than ${MAX_TIMER_DATA_CHARS} characters of data; keep the data in the store and its key in the timer`);
  }
  return { id, kind, ...(convId === undefined ? {} : { convId }), dueAt, ...(data === undefined ? {} : { data }) };
}
