import type http from 'node:http';
import type { Config } from './config/config.js';
import { AssignmentRunner } from './runtime/assignment-runner.js';
import { tellAssigned } from './handlers/tell-assigned.js';
import type { Desk } from './core/desk.js';
import type { Clock, StorePort } from './core/ports.js';
import type { Alerts } from './core/security/alerts.js';
import { systemClock } from './runtime/system-clock.js';
import { afterDelivery } from './handlers/after-delivery.js';
import { attachUpgrades, createHttpServer, listen } from './http/server.js';
import { healthRoutes } from './http/health-routes.js';
import { budgetsOf } from './config/registry.js';
import { Limiters } from './runtime/limiters.js';
import { createLogger, type Logger } from './runtime/logger.js';
import { Metrics } from './runtime/metrics.js';
import { OutboxWorker } from './runtime/outbox-worker.js';
import { sweepExports } from './runtime/export-files.js';
import type { TimerScheduler } from './runtime/timer-scheduler.js';
import { openDesk, type LateParts } from './compose/open-desk.js';
import { wireSecurity } from './compose/wire-security.js';
import { mountModules } from './compose/mount-modules.js';
import { wireTimers } from './compose/wire-timers.js';
import { leftForNextStart, metricsScope, wireMetrics } from './compose/wire-metrics.js';

export interface AppOptions {
  clock?: Clock;
  log?: Logger;
  /** Key prefix in Redis and for shared limiters, over `config.redisPrefix` (tests run several apps on one Redis). */
  prefix?: string;
}

export interface RunningApp {
  port: number;
  url: string;
  desk: Desk;
  store: StorePort;
  worker: OutboxWorker;
  /** Fires the store's timers (core/timers.ts); `notify` it after scheduling one. */
  timers: TimerScheduler;
  metrics: Metrics;
  alerts: Alerts;
  /** Runs assignment per queue (tests wait for it with `idle()`). */
  assignment: AssignmentRunner;
  /** SIGTERM behaviour: stop taking requests, drain the outbox up to the configured time, close. */
  shutdown(): Promise<{ drained: boolean }>;
}


/**
 * The composition root: opens the store, builds the desk, the messenger and
 * channel adapters, the outbox worker and the one HTTP server (its parts in
 * src/compose/). The only place that imports bot, channels and store together.
 */
export async function startApp(config: Config, opts: AppOptions = {}): Promise<RunningApp> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? createLogger(config.logLevel);
  const prefix = opts.prefix ?? config.redisPrefix;
  const metrics = new Metrics(metricsScope(config));
  // Alerts, assignment and timers need the desk, and the desk reaches them: they are filled in below.
  const late: LateParts = {};
  const { desk, store, instanceId, queues, exportDir, stopLiveness } = await openDesk(config, { clock, log, prefix, late });
  const { seats } = desk;
  await seats.bootstrapAdmins(config.bootstrapAdmins);
  // Assignment (SPEC §7): new and waiting conversations go to seats online with room.
  await seats.indexQueues();
  const assignment = (late.assignment = new AssignmentRunner({
    assign: (queue) => desk.assignWaiting(queue, (conv, seat) => tellAssigned(desk, conv, seat)),
    queues: () => Object.keys(queues),
    log: log.child({ part: 'assignment' }),
  }));
  // A seat saved (online again, enabled, added to a queue, a new max) may take waiting conversations.
  seats.onSaved((seat) => { for (const q of seat.queues) desk.kick(q); });

  const security = wireSecurity(config, desk, store, clock, log);
  const alerts = (late.alerts = security.alerts);
  const exportSweep = setInterval(() => void sweepExports(exportDir, 24 * 3600_000).catch(() => {}), 3600_000);
  exportSweep.unref();

  const { deliverers, routes, upgrades, channels, messengers } = await mountModules(config, { desk, store, log, metrics, monitor: security.monitor, clock, instanceId });

  let lastLimiterError = 0;
  const limiters = new Limiters({
    redisUrl: config.redisUrl, prefix, log: log.child({ part: 'limiters' }), budgets: budgetsOf(config.registry),
    // Replicas share the burst schedule through Redis. The embedded store has one process, whose
    // memory holds it without two store round trips inside every post's slot.
    ...(store.kind === 'redis' ? { state: store } : {}),
    onError: (err) => {
      // At most one line every 10 s: an outage should not flood the log.
      if (clock.now() - lastLimiterError > 10_000) { lastLimiterError = clock.now(); log.warn({ err: String(err) }, 'rate limiter lost Redis; sends wait until it is back'); }
    },
  });
  const worker = new OutboxWorker({
    outbox: desk.outbox, atomic: store, clock, limiters, deliverers, log: log.child({ part: 'outbox' }), metrics, instanceId,
    shared: store.kind === 'redis',
    onOutcome: (items, outcome) => afterDelivery(desk, items, outcome),
  });
  wireMetrics(metrics, config, { desk, store });
  const { timers, handlers: timerHandlers } = await wireTimers(config, { desk, store, clock, log, instanceId, queues, metrics });
  late.timers = timers;

  let stopping = false;
  routes.push(...healthRoutes({
    stopping: () => stopping,
    // The store first, then each messenger: a name per check in the answer.
    checks: () => [{ name: 'store', ping: () => store.ping() }, ...messengers.map((m) => ({ name: m.platform, ping: () => m.ping() }))],
    renderMetrics: () => metrics.render(), metricsToken: config.http.metricsToken,
  }));
  const server: http.Server = createHttpServer(routes, log, metrics);
  attachUpgrades(server, upgrades, log);
  const port = await listen(server, config.http.port, config.http.host);
  for (const m of messengers) await m.start();
  worker.start();
  assignment.start();
  // Only once some feature handles timers: the scheduler drops timers of kinds it has no handler for,
  // so a replica of a version without handlers must not run it beside one that schedules timers.
  if (Object.keys(timerHandlers).length > 0) timers.start();
  log.info({ port, store: store.kind, messengers: messengers.map((m) => m.platform), channels: Object.keys(config.channels) }, 'threaddesk is running');

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    desk, store, worker, timers, metrics, alerts, assignment,
    async shutdown() {
      stopping = true;
      security.stop();
      clearInterval(exportSweep);
      // Channels first: the server's close waits for open sockets, and background pulls finish before the store closes.
      for (const [id, c] of Object.entries(channels)) await c.stop?.().catch((err: unknown) => log.warn({ channel: id, err: String(err) }, 'channel did not stop cleanly'));
      await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeIdleConnections?.(); });
      for (const m of messengers) await m.stop().catch((err: unknown) => log.warn({ messenger: m.platform, err: String(err) }, 'messenger did not stop cleanly'));
      await assignment.stop();
      // Timers first: a firing in flight finishes, and the outbox items it staged are drained with the rest.
      await timers.stop();
      const drained = await worker.drain(config.shutdownDrainMs);
      await limiters.close();
      await stopLiveness();
      const left = await leftForNextStart(desk);
      await store.close();
      log.info({ drained, leftForNextStart: left }, drained ? 'threaddesk stopped; the outbox was empty' : `threaddesk stopped; left in the outbox for the next start: ${typeof left === 'string' ? left : Object.entries(left).map(([via, n]) => `${n} to ${via}`).join(', ')}`);
      return { drained };
    },
  };
}
