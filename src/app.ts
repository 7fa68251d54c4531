import { randomBytes } from 'node:crypto';
import { randomHex } from './runtime/random-hex.js';
import type http from 'node:http';
import type { Config } from './config/config.js';
import { AuditLog } from './core/audit-log.js';
import { AssignmentRunner } from './runtime/assignment-runner.js';
import { tellAssigned } from './handlers/tell-assigned.js';
import { autoReplyWords } from './handlers/auto-reply-words.js';
import { Conversations } from './core/conversations.js';
import { processLocks, storeLocks } from './core/lock.js';
import { createDedupe } from './core/dedupe.js';
import { Desk, type QueueRoute } from './core/desk.js';
import { Outbox } from './core/outbox/outbox.js';
import type { Deliverer } from './core/outbox/deliverer.js';
import type { Via } from './core/outbox/items.js';
import type { Clock, StorePort } from './core/ports.js';
import type { Failure } from './core/result.js';
import { systemClock } from './runtime/system-clock.js';
import { sha256Hex } from './runtime/sha256-hex.js';
import { Seats } from './core/seats.js';
import { afterDelivery, reportSendFailure } from './handlers/after-delivery.js';
import { attachUpgrades, createHttpServer, listen } from './http/server.js';
import { healthRoutes } from './http/health-routes.js';
import type { Route, UpgradeRoute } from './http/types.js';
import type { AdapterContext, MediaFetcher, MessengerAdapter } from './bot/messenger-adapter.js';
import type { ChannelParts } from './channels/channel-module.js';
import { budgetsOf, channelTraitsOf } from './config/registry.js';
import { scopedState } from './bot/kit/state-port.js';
import { Limiters } from './runtime/limiters.js';
import { createLogger, type Logger } from './runtime/logger.js';
import { Metrics } from './runtime/metrics.js';
import { OutboxWorker } from './runtime/outbox-worker.js';
import { startProcessLiveness } from './runtime/process-liveness.js';
import { OutageLog } from './runtime/outage-log.js';
import { openStore } from './store/open-store.js';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Alerts } from './core/security/alerts.js';
import { alertActions, alertText } from './handlers/alert-text.js';
import { readerLanguage } from './i18n/choose-language.js';
import { SecurityEvents } from './core/security/security-events.js';
import { SecurityMonitor, eventFromAudit } from './core/security/security-monitor.js';
import { exportFiles, sweepExports } from './runtime/export-files.js';
import { TimerScheduler, type TimerHandlers } from './runtime/timer-scheduler.js';
import { slaTimerHandlers } from './runtime/sla-timer-handlers.js';
import { slaWords } from './handlers/sla-words.js';
import { statsDigestHandler } from './handlers/stats-digest.js';
import { DIGEST_KIND, ensureDigestScheduled } from './core/stats/digest-schedule.js';

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
 * channel adapters, the outbox worker and the one HTTP server. The only place
 * that imports bot, channels and store together.
 */
export async function startApp(config: Config, opts: AppOptions = {}): Promise<RunningApp> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? createLogger(config.logLevel);
  const prefix = opts.prefix ?? config.redisPrefix;
  const instanceId = randomBytes(8).toString('hex');
  const metrics = new Metrics();

  const store = await openStore({ dataDir: config.dataDir, ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}), prefix, redis: { onError: (e) => log.warn({ err: e.message }, 'redis connection problem; reconnecting') } });
  // In-flight dedupe marks name this process; a redelivery after it died is taken over at once.
  const liveness = startProcessLiveness(instanceId, store, store.kind === 'redis', new OutageLog(log, {
    down: 'liveness heartbeat failed: other replicas may take over deliveries in flight here; retrying every second',
    up: 'liveness heartbeat written again',
  }));
  const newId = () => `${clock.now().toString(36)}${randomHex(5)}`;
  // One process owns an embedded store's data directory: its record locks need not be in the store.
  const locks = store.kind === 'embedded' ? processLocks(clock) : storeLocks({ atomic: store, clock, newId });
  const conversations = new Conversations(store, locks);
  const seats = new Seats(store, clock, locks);
  const outbox = new Outbox(store, clock, () => instanceId.slice(0, 6) + randomHex(4));
  const queues: Record<string, QueueRoute> = Object.fromEntries(
    config.queues.map((q) => [q.name, {
      name: q.name, department: q.department, messenger: q.messenger, channel: q.channel,
      ...(q.language ? { language: q.language } : {}), assignment: q.assignment, stickyDays: q.stickyDays, service: q.service,
    }]),
  );
  const audit = new AuditLog(store, clock, sha256Hex);
  // Exports go next to the embedded store, or to the temp dir when state is in Redis.
  const exportDir = config.redisUrl ? join(tmpdir(), 'threaddesk-exports') : join(config.dataDir, 'exports');
  let alerts: Alerts | undefined;
  let assignment: AssignmentRunner | undefined;
  let scheduler: TimerScheduler | undefined;
  const desk: Desk = new Desk({
    store, clock, newId, locks, conversations, seats, outbox, audit,
    dedupe: createDedupe(store, { liveness }),
    exportFiles: exportFiles(exportDir),
    get alerts() { return alerts; },
    get assignment() { return assignment; },
    get timers() { return scheduler; },
    autoReplyWords: autoReplyWords({ queues, language: config.desk.language }),
    settings: {
      queues,
      defaultQueue: 'default',
      firstReplierClaims: config.desk.firstReplierClaims,
      rules: { notePrefixes: config.desk.notePrefixes, commandPrefix: config.desk.commandPrefix },
      seatTemplates: config.seatTemplates,
      channels: channelTraitsOf(config.registry),
      messengers: config.registry.messengers.map((m) => m.id),
      language: config.desk.language,
      routing: config.routing,
      fallbackTimeZone: config.security.defaultProfile.timeZone,
    },
  });
  await seats.bootstrapAdmins(config.bootstrapAdmins);
  // Assignment (SPEC §7): new and waiting conversations go to seats online with room.
  await seats.indexQueues();
  assignment = new AssignmentRunner({
    assign: (queue) => desk.assignWaiting(queue, (conv, seat) => tellAssigned(desk, conv, seat)),
    queues: () => Object.keys(queues),
    log: log.child({ part: 'assignment' }),
  });
  // A seat saved (online again, enabled, added to a queue, a new max) may take waiting conversations.
  seats.onSaved((seat) => { for (const q of seat.queues) desk.kick(q); });

  // Security alerts (SPEC §9): DMs with an Acknowledge button to every security seat.
  alerts = new Alerts(store, clock, seats, audit, (seat, alert, escalation) => desk.dmSeat(seat, alertText(alert, escalation, readerLanguage(desk.settings, seat)), undefined, undefined,
    alertActions(alert, readerLanguage(desk.settings, seat)),
  ), { quietMs: config.security.quietMs, ackTimeoutMs: config.security.ackTimeoutMs }, () => randomHex(4));
  const monitor = new SecurityMonitor(new SecurityEvents(store), alerts, { thresholds: config.security.thresholds, defaultProfile: config.security.defaultProfile, profiles: config.security.profiles });
  // The bot's own actions (grants, seat changes, exports, refusals) are security events too.
  audit.onAppend(async (entry) => {
    const event = eventFromAudit(entry);
    if (event) await monitor.observe(event).catch((err: unknown) => log.error({ err: String(err) }, 'security monitor failed on an audit entry'));
  });
  const escalationTimer = setInterval(() => void alerts!.escalateOverdue().catch((err: unknown) => log.warn({ err: String(err) }, 'alert escalation check failed')), 30_000);
  escalationTimer.unref();
  const exportSweep = setInterval(() => void sweepExports(exportDir, 24 * 3600_000).catch(() => {}), 3600_000);
  exportSweep.unref();

  // Customer channels, then messengers: each module builds its own part; none is named here.
  const deliverers: Partial<Record<Via, Deliverer>> = {};
  const routes: Route[] = [];
  const upgrades: UpgradeRoute[] = [];
  const channelCtx = { desk, store, log, metrics, monitor, reportSendFailure: (convId: string, failure: Failure) => reportSendFailure(desk, convId, failure) };
  const channels: Record<string, ChannelParts> = {};
  for (const [id, c] of Object.entries(config.channels)) {
    const parts = (channels[id] = c.create(channelCtx));
    if (parts.deliverer) deliverers[id] = parts.deliverer;
    routes.push(...parts.routes);
    upgrades.push(...(parts.upgrades ?? []));
    if (parts.showTyping) desk.typing.register(id, parts.showTyping);
  }
  const fetchMedia: MediaFetcher = async (conv, a) => channels[conv.channel]?.fetchMedia?.(conv, a);
  // Each messenger's own state lives under its own prefix; the dedupe marks and leases are shared.
  const messengers: MessengerAdapter[] = Object.values(config.messengers).map((m) => m.create({
    desk, log, instanceId, metrics, clock, dedupe: desk.dedupe, fetchMedia,
    state: scopedState(store, m.statePrefix), leases: { atomic: store, shared: store.kind === 'redis' },
  } satisfies AdapterContext));
  for (const m of messengers) {
    deliverers[m.platform] = m.deliverer;
    routes.push(...m.routes);
  }

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
    outbox, atomic: store, clock, limiters, deliverers, log: log.child({ part: 'outbox' }), metrics, instanceId,
    shared: store.kind === 'redis',
    onOutcome: (items, outcome) => afterDelivery(desk, items, outcome),
  });
  metrics.gauge('outbox_pending_items', () => outbox.pendingCount());
  // Timers by kind (issue 13): SLA pings, reminders, escalations, #urgent DMs and inactivity close (SPEC §7),
  // and the weekly digest (Monday 09:00 per department).
  const timerLog = log.child({ part: 'timers' });
  const timerHandlers: TimerHandlers = {
    ...slaTimerHandlers({
      clock, store, conversations, seats, outbox, queueOf: (conv) => desk.queueOf(conv),
      words: slaWords({ queues, language: config.desk.language }),
      breach: (b) => desk.statsRecorder.recordBreach(b),
    }, (conv) => desk.closeInactive(conv), timerLog, clock),
    [DIGEST_KIND]: statsDigestHandler(desk, outbox),
  };
  for (const department of new Set(Object.values(queues).map((q) => q.department))) {
    await ensureDigestScheduled(store, department, clock.now(), desk.departmentZone(department));
  }
  const timers = new TimerScheduler({
    store, clock, handlers: timerHandlers, log: timerLog, instanceId, shared: store.kind === 'redis',
  });

  scheduler = timers;

  let stopping = false;
  routes.push(...healthRoutes({
    stopping: () => stopping,
    // The store first, then each messenger: a name per check in the answer.
    checks: () => [{ name: 'store', ping: () => store.ping() }, ...messengers.map((m) => ({ name: m.platform, ping: () => m.ping() }))],
    renderMetrics: () => metrics.render(),
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
      clearInterval(escalationTimer);
      clearInterval(exportSweep);
      // Channels first: the server's close waits for open sockets, and background pulls finish before the store closes.
      for (const [id, c] of Object.entries(channels)) await c.stop?.().catch((err: unknown) => log.warn({ channel: id, err: String(err) }, 'channel did not stop cleanly'));
      await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeIdleConnections?.(); });
      for (const m of messengers) await m.stop().catch((err: unknown) => log.warn({ messenger: m.platform, err: String(err) }, 'messenger did not stop cleanly'));
      await assignment!.stop();
      // Timers first: a firing in flight finishes, and the outbox items it staged are drained with the rest.
      await timers.stop();
      const drained = await worker.drain(config.shutdownDrainMs);
      await limiters.close();
      await liveness.stop();
      await store.close();
      log.info({ drained }, 'threaddesk stopped');
      return { drained };
    },
  };
}
