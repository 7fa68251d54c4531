import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Config } from '../config/config.js';
import { AuditLog } from '../core/audit-log.js';
import { Conversations } from '../core/conversations.js';
import { processLocks, storeLocks } from '../core/lock.js';
import { createDedupe } from '../core/dedupe.js';
import { Desk, type QueueRoute } from '../core/desk.js';
import type { DeskDeps } from '../core/desk-deps.js';
import { Outbox } from '../core/outbox/outbox.js';
import type { Clock, StorePort } from '../core/ports.js';
import { Seats } from '../core/seats.js';
import { autoReplyWords } from '../handlers/auto-reply-words.js';
import { channelTraitsOf } from '../config/registry.js';
import { exportFiles } from '../runtime/export-files.js';
import type { Logger } from '../runtime/logger.js';
import { OutageLog } from '../runtime/outage-log.js';
import { startProcessLiveness } from '../runtime/process-liveness.js';
import { randomHex } from '../runtime/random-hex.js';
import { sha256Hex } from '../runtime/sha256-hex.js';
import { openStore } from '../store/open-store.js';

/** What the runtime parts the desk is wired to (alerts, assignment, timers) are, once they exist. */
export type LateParts = Pick<DeskDeps, 'alerts' | 'assignment' | 'timers'>;

export interface OpenedDesk {
  desk: Desk;
  store: StorePort;
  instanceId: string;
  queues: Record<string, QueueRoute>;
  exportDir: string;
  /** Stops the liveness heartbeat (at shutdown, before the store closes). */
  stopLiveness: () => Promise<void>;
}

/** Opens the store and builds the desk over it: repositories, locks, outbox, audit log, dedupe. */
export async function openDesk(config: Config, o: { clock: Clock; log: Logger; prefix: string; late: LateParts }): Promise<OpenedDesk> {
  const { clock, log } = o;
  const instanceId = randomBytes(8).toString('hex');
  const store = await openStore({ dataDir: config.dataDir, ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}), prefix: o.prefix, redis: { onError: (e) => log.warn({ err: e.message }, 'redis connection problem; reconnecting') } });
  // In-flight dedupe marks name this process; a redelivery after it died is taken over at once.
  const liveness = startProcessLiveness(instanceId, store, store.kind === 'redis', new OutageLog(log, {
    down: 'liveness heartbeat failed: other replicas may take over deliveries in flight here; retrying every second',
    up: 'liveness heartbeat written again',
  }));
  const newId = () => `${clock.now().toString(36)}${randomHex(5)}`;
  // One process owns an embedded store's data directory: its record locks need not be in the store.
  const locks = store.kind === 'embedded' ? processLocks(clock) : storeLocks({ atomic: store, clock, newId });
  const queues: Record<string, QueueRoute> = Object.fromEntries(
    config.queues.map((q) => [q.name, {
      name: q.name, department: q.department, messenger: q.messenger, channel: q.channel,
      ...(q.language ? { language: q.language } : {}), assignment: q.assignment, stickyDays: q.stickyDays, service: q.service,
    }]),
  );
  // Exports go next to the embedded store, or to the temp dir when state is in Redis.
  const exportDir = config.redisUrl ? join(tmpdir(), 'threaddesk-exports') : join(config.dataDir, 'exports');
  const desk = new Desk({
    store, clock, newId, locks,
    conversations: new Conversations(store, locks),
    seats: new Seats(store, clock, locks),
    outbox: new Outbox(store, clock, () => instanceId.slice(0, 6) + randomHex(4)),
    audit: new AuditLog(store, clock, sha256Hex),
    dedupe: createDedupe(store, { liveness }),
    exportFiles: exportFiles(exportDir),
    get alerts() { return o.late.alerts; },
    get assignment() { return o.late.assignment; },
    get timers() { return o.late.timers; },
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
  return { desk, store, instanceId, queues, exportDir, stopLiveness: () => liveness.stop() };
}
