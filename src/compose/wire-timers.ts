import type { Config } from '../config/config.js';
import type { Desk, QueueRoute } from '../core/desk.js';
import type { Clock, StorePort } from '../core/ports.js';
import { DIGEST_KIND, ensureDigestScheduled } from '../core/stats/digest-schedule.js';
import { slaWords } from '../handlers/sla-words.js';
import { statsDigestHandler } from '../handlers/stats-digest.js';
import type { Logger } from '../runtime/logger.js';
import type { Metrics } from '../runtime/metrics.js';
import { slaTimerHandlers } from '../runtime/sla-timer-handlers.js';
import { TimerScheduler, type TimerHandlers } from '../runtime/timer-scheduler.js';

/**
 * Timers by kind (issue 13): SLA pings, reminders, escalations, #urgent DMs and
 * inactivity close (SPEC §7), and the weekly digest (Monday 09:00 per department,
 * scheduled here when none is).
 */
export async function wireTimers(config: Config, w: { desk: Desk; store: StorePort; clock: Clock; log: Logger; instanceId: string; queues: Record<string, QueueRoute>; metrics: Metrics }): Promise<{ timers: TimerScheduler; handlers: TimerHandlers }> {
  const { desk, store, clock, queues } = w;
  const timerLog = w.log.child({ part: 'timers' });
  const handlers: TimerHandlers = {
    ...slaTimerHandlers({
      clock, store, conversations: desk.conversations, seats: desk.seats, outbox: desk.outbox, queueOf: (conv) => desk.queueOf(conv),
      words: slaWords({ queues, language: config.desk.language }),
      breach: (b) => { w.metrics.inc('sla_breaches_total', { queue: b.queue }); return desk.statsRecorder.recordBreach(b); },
    }, (conv) => desk.closeInactive(conv), timerLog, clock),
    [DIGEST_KIND]: statsDigestHandler(desk, desk.outbox),
  };
  for (const department of new Set(Object.values(queues).map((q) => q.department))) {
    await ensureDigestScheduled(store, department, clock.now(), desk.departmentZone(department));
  }
  const timers = new TimerScheduler({ store, clock, handlers, log: timerLog, instanceId: w.instanceId, shared: store.kind === 'redis' });
  return { timers, handlers };
}
