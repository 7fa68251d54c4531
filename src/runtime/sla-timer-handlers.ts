import type { Clock } from '../core/ports.js';
import type { Timer } from '../core/timers.js';
import type { SlaPorts } from '../core/sla/sla-ports.js';
import { fireFirstResponse, fireNoReply } from '../core/sla/ping-unanswered.js';
import { fireEscalation, fireUrgent } from '../core/sla/tell-supervisors.js';
import { fireInactivityClose, type CloseInactive } from '../core/sla/close-when-inactive.js';
import { SLA_TIMERS } from '../core/sla/sla-timer-ops.js';
import type { Logger } from './logger.js';
import type { TimerHandler, TimerHandlers } from './timer-handler.js';

/** A timer fired more than this late is logged: the poll and a busy store account for less. */
const LATE_MS = 1000;

/**
 * The handlers of the SLA and inactivity timers (SPEC §7), by kind. Each
 * decides from the state it reads when it fires, so a timer that fires late
 * after a restart does its work once (the scheduler fires it once).
 */
export function slaTimerHandlers(p: SlaPorts, closeInactive: CloseInactive, log: Logger, clock: Clock): TimerHandlers {
  const logged = (fire: (timer: Timer) => Promise<Awaited<ReturnType<TimerHandler>>>): TimerHandler => async (timer) => {
    const latenessMs = clock.now() - timer.dueAt;
    if (latenessMs > LATE_MS) log.info({ timer: timer.id, kind: timer.kind, latenessMs }, 'timer fired late');
    return fire(timer);
  };
  return {
    [SLA_TIMERS.firstResponse]: logged((t) => fireFirstResponse(p, t)),
    [SLA_TIMERS.noReply]: logged((t) => fireNoReply(p, t)),
    [SLA_TIMERS.escalate]: logged((t) => fireEscalation(p, t)),
    [SLA_TIMERS.urgent]: logged((t) => fireUrgent(p, t)),
    [SLA_TIMERS.inactive]: logged((t) => fireInactivityClose(p, closeInactive, t)),
  };
}
