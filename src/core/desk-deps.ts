import type { ChannelTraits } from './channel-traits.js';
import type { Locks } from './lock.js';
import type { Clock, StorePort } from './ports.js';
import type { AuditLog } from './audit-log.js';
import type { Conversations } from './conversations.js';
import type { Dedupe } from './dedupe.js';
import type { Outbox } from './outbox/outbox.js';
import type { Seats } from './seats.js';
import type { ThreadMessageRules } from './thread-message.js';
import type { SeatTemplate } from './seat-admin.js';
import type { Alerts } from './security/alerts.js';
import type { ExportSink } from './export-transcripts.js';
import type { QueueRoute } from './queue-router.js';
import type { RoutingRule } from './routing/route-queue.js';
import type { AutoReplyWords } from './intake/auto-replies.js';

/** The desk's part of the config: queues, the thread-message rules and seat templates. */
export interface DeskSettings {
  queues: Readonly<Record<string, QueueRoute>>;
  defaultQueue: string;
  /** With nobody claimed, the first agent who replies claims the conversation (SPEC §5). */
  firstReplierClaims: boolean;
  rules: ThreadMessageRules;
  /** Named seat defaults for `/seat add … template=…` and CSV imports. */
  seatTemplates?: Readonly<Record<string, SeatTemplate>>;
  /** The customer channels' labels and reply windows, by id (from the channel modules). */
  channels: ChannelTraits;
  /** The registered messengers' ids, in order (seat import's `<messenger>:` prefix). */
  messengers: readonly string[];
  /** The desk's language (`desk.language`), for queues and seats that set none; absent: English. */
  language?: string;
  /** `routing:` of the config: rules in order, and the overload thresholds (absent: no rules, 15 and 5). */
  routing?: { rules: RoutingRule[]; overload: number; underload: number };
  /** A department's time zone when its queues' hours name none or disagree (`security.time_zone`); absent: UTC. */
  fallbackTimeZone?: string;
}

/** Creates the file an export is streamed into (runtime: a file under DATA_DIR or the temp dir). */
export type ExportFiles = (name: string) => Promise<ExportSink>;

/** What the composition root gives the desk. */
export interface DeskDeps {
  store: StorePort;
  clock: Clock;
  newId: () => string;
  /** Record locks: in the store with Redis, in this process with the embedded store. */
  locks: Locks;
  settings: DeskSettings;
  conversations: Conversations;
  seats: Seats;
  outbox: Outbox;
  audit: AuditLog;
  dedupe: Dedupe;
  exportFiles?: ExportFiles;
  /** Security alerts; absent when the monitor is not wired (some tests). */
  alerts?: Alerts;
  /** The words of the desk's automatic replies (welcome, away); absent: it sends none. */
  autoReplyWords?: AutoReplyWords;
  /** Runs assignment for a queue soon (src/runtime); absent: nothing is assigned by itself (some tests). */
  assignment?: { kick(queue: string): void };
  /** The timer scheduler (src/runtime), woken for a timer due sooner than its next look; absent: timers wait for its poll. */
  timers?: { notify(dueAt: number): void };
}
