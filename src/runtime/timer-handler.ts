import type { Timer } from '../core/timers.js';
import type { WriteOp } from '../core/ports.js';

/**
 * What a timer's handler answers: the writes of its effects (e.g.
 * `outbox.stage(...).ops`), which the scheduler writes in one batch with the
 * timer's removal, or `skip` when there is nothing to do any more (the timer
 * just goes). A handler does no writes of its own: what it returns is all that
 * lands, and lands once. A handler that throws is tried again later.
 */
export type TimerHandler = (timer: Timer) => Promise<readonly WriteOp[] | 'skip'>;

/** Handlers by timer kind. */
export type TimerHandlers = Readonly<Record<string, TimerHandler>>;
