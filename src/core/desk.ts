import type { ChannelTraits } from './channel-traits.js';
import type { Locks } from './lock.js';
import type { Customer, Conversation, CustomerChannelName, InboundCustomerMessage, Platform, Seat, ThreadRef } from './model.js';
import type { Clock, StorePort } from './ports.js';
import type { Result } from './result.js';
import type { AuditLog } from './audit-log.js';
import type { Conversations } from './conversations.js';
import type { Dedupe } from './dedupe.js';
import type { Outbox } from './outbox/outbox.js';
import type { Seats } from './seats.js';
import type { ThreadMessageRules } from './thread-message.js';
import type { SeatTemplate } from './seat-admin.js';
import type { Alerts } from './security/alerts.js';
import type { QuotedMessage } from './render/render-reference.js';
import { receiveCustomerMessage, type ReceiveDeps, type ReceiveOutcome } from './intake/receive-customer-message.js';
import { findQuotedMessage, type QuoteDeps } from './intake/find-quoted-message.js';
import { changeCustomerNumber, type CustomerNumberChange, type NumberChangeDeps, type NumberChangeOutcome } from './intake/change-customer-number.js';
import { replyToCustomer, type ReplyDeps } from './reply-to-customer.js';
import { exportTranscripts, type ExportPorts, type ExportRange, type ExportSink } from './export-transcripts.js';
import { claim, type ClaimPorts } from './claims/claim.js';
import { release, type ReleasePorts } from './claims/release.js';
import { close, closeInactive, reopen, type CloseReopenPorts } from './claims/close-reopen.js';
import { DESK_AUTHOR } from './intake/receive-customer-message.js';
import { isUrgent } from './sla/sla-timer-ops.js';
import { transfer, type TransferPorts } from './claims/transfer.js';
import { escalate, type EscalatePorts } from './escalate.js';
import { addNote } from './add-note.js';
import { tag, type TagWords } from './tag.js';
import { recordThread } from './record-thread.js';
import { recordAudit } from './record-audit.js';
import { nameOf } from './seat-name.js';
import { Notifier, type DmAction, type PrivateWhere, type DeliveryMark } from './notifier.js';
import { TypingRelay } from './typing-relay.js';
import { QueueRouter, type QueueRoute } from './queue-router.js';
import { assignWaiting, type AssignPorts, type Assigned } from './assignment/assign-waiting.js';
import type { RoutingRule } from './routing/route-queue.js';
import type { AutoReplyWords } from './intake/auto-replies.js';
import { entryWelcome, markWelcomed } from './intake/entry-welcome.js';
import type { PrivateView } from './overview/private-view.js';
import { queueOverview, type QueueOverview } from './overview/queue-overview.js';
import { StatsRecorder, type StatsPorts } from './stats/stats-recorder.js';
import { departmentZone } from './stats/department-zone.js';
import { statsForRange, statsForSeat, statsOfDepartment, type StatsPortsForRead } from './stats/stats-for-seat.js';
import type { DepartmentStats } from './stats/read-stats.js';
import type { DateRange } from './stats/stat-range.js';

export type { QueueRoute, ReceiveOutcome };

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

/** The ports the claim use cases, escalation and notes share. */
type ChatPorts = ClaimPorts & ReleasePorts & CloseReopenPorts & TransferPorts & EscalatePorts & AssignPorts;

/**
 * The desk: a facade that wires the use cases (claims/, intake/, escalate,
 * reply-to-customer, the Notifier…) to their ports, so handlers and adapters
 * call `desk.claim(…)` without knowing the store. No logic lives here.
 */
export class Desk {
  readonly router: QueueRouter;
  readonly notifier: Notifier;
  /** Agents' typing, to the customer channels that show it (see typing-relay.ts). */
  readonly typing: TypingRelay;
  private readonly chat: ChatPorts;
  private readonly intake: ReceiveDeps;
  private readonly replies: ReplyDeps;
  private readonly lookups: QuoteDeps & NumberChangeDeps;
  private readonly exports: ExportPorts;
  private readonly figures: StatsPortsForRead;
  private readonly recorder: StatsRecorder;

  constructor(private readonly parts: DeskDeps) {
    const { store, clock, newId, locks, conversations, seats, outbox, audit, dedupe } = parts;
    const router = new QueueRouter(parts.settings);
    const departmentOf = (conv: Pick<Conversation, 'queue'>) => router.departmentOf(conv);
    this.router = router;
    this.typing = new TypingRelay(clock);
    this.notifier = new Notifier({ outbox, messengerOf: (conv) => router.messengerOf(conv) });
    const routing = parts.settings.routing ?? { rules: [], overload: 15, underload: 5 };
    const zones = new Map<string, string>();
    const zoneOf = (department: string): string => {
      let zone = zones.get(department);
      if (!zone) zones.set(department, (zone = departmentZone(parts.settings.queues, department, parts.settings.fallbackTimeZone ?? 'UTC')));
      return zone;
    };
    this.recorder = new StatsRecorder((queue) => zoneOf(router.departmentOf({ queue })));
    const stats: StatsPorts = { recorder: this.recorder, store };
    this.figures = { store, seats, clock, queues: parts.settings.queues, zoneOf };
    this.chat = {
      store, clock, locks, conversations, seats, audit, notifier: this.notifier, departmentOf,
      assignmentOf: (queue) => router.assignmentOf(queue), routing, stats,
    };
    this.intake = { store, clock, newId, locks, conversations, outbox, dedupe, routeOf: (input) => router.route(input), messengerOf: (conv) => router.messengerOf(conv),
      serviceOf: (queue) => router.find(queue)?.service, ...(parts.autoReplyWords ? { autoReplyWords: parts.autoReplyWords } : {}), stats,
    };
    this.replies = { store, clock, conversations, outbox, dedupe, departmentOf, channels: parts.settings.channels, serviceOf: (queue) => router.find(queue)?.service, stats };
    this.lookups = { store, locks, conversations };
    this.exports = { lists: store, conversations, departmentOf };
  }

  /**
   * @internal For tests only (they reach the store, outbox and audit log through
   * it): nothing in src reads it; src/app.ts gives the ports to whoever needs them.
   */
  get deps(): DeskDeps { return this.parts; }

  get conversations(): Conversations { return this.parts.conversations; }
  get seats(): Seats { return this.parts.seats; }
  get settings(): DeskSettings { return this.parts.settings; }
  /** The desk's clock (headers show times, commands take "now" from it). */
  get clock(): Clock { return this.parts.clock; }
  /** The hash-chained audit log, for `/audit` and its readers. */
  get auditLog(): AuditLog { return this.parts.audit; }
  /** Dedupe of inbound events, for the messengers' "process this update once". */
  get dedupe(): Dedupe { return this.parts.dedupe; }
  /** Where exports are written; absent when exports are not set up. */
  get exportFiles(): ExportFiles | undefined { return this.parts.exportFiles; }
  /** Security alerts; absent when the monitor is not wired. */
  get alerts(): Alerts | undefined { return this.parts.alerts; }

  /** The route of a conversation's queue (see queue-router.ts). */
  queueOf(conv: Pick<Conversation, 'queue'>): QueueRoute { return this.router.routeOf(conv); }

  /** A customer message arrives from a channel (see intake/receive-customer-message.ts); a new conversation is then assigned. */
  async receiveCustomerMessage(msg: InboundCustomerMessage): Promise<ReceiveOutcome> {
    const out = await receiveCustomerMessage(this.intake, msg);
    if (out.status === 'accepted' && out.opened) this.kick(out.conversation.queue);
    if (out.status === 'accepted' && out.timersDueAt !== undefined) this.parts.timers?.notify(out.timersDueAt);
    return out;
  }

  /** The welcome for a customer who entered a channel's session before writing (see intake/entry-welcome.ts). */
  entryWelcome(channel: CustomerChannelName, account: string, customer: Customer): Promise<string | undefined> { return entryWelcome(this.intake, channel, account, customer); }
  /** The channel greeted the customer on entry: their first message gets no second welcome. */
  markWelcomed(channel: CustomerChannelName, account: string, customerId: string): Promise<void> { return markWelcomed(this.intake, channel, account, customerId); }

  /** Gives a queue's waiting conversations to seats with room (see assignment/assign-waiting.ts). */
  assignWaiting(queue: string, onAssigned?: (conv: Conversation, seat: Seat) => Promise<void>): Promise<{ assigned: Assigned[]; more: boolean }> {
    return assignWaiting(onAssigned ? { ...this.chat, onAssigned } : this.chat, queue);
  }

  /** Asks for assignment in a queue soon: a conversation waits there, or a seat may have room. */
  kick(queue: string): void { this.parts.assignment?.kick(queue); }

  /** What the desk knows of an earlier customer message a reaction or an edit points at. */
  findQuotedMessage(channel: CustomerChannelName, account: string, customerId: string, messageId: string): Promise<QuotedMessage> {
    return findQuotedMessage(this.lookups, channel, account, customerId, messageId);
  }

  /** A customer now writes from another id on the same channel account (see intake/change-customer-number.ts). */
  changeCustomerNumber(change: CustomerNumberChange): Promise<NumberChangeOutcome> { return changeCustomerNumber(this.lookups, change); }

  /** A messenger opened (or re-opened) the thread of a conversation. */
  threadOpened(convId: string, thread: ThreadRef): Promise<Conversation | undefined> { return recordThread(this.parts.conversations, convId, thread); }

  /** See claims/claim.ts. */
  claim(conv: Conversation, seat: Seat | undefined, opts: { force?: boolean } = {}): Promise<Result<Conversation>> { return claim(this.chat, conv, seat, opts); }
  /** See claims/release.ts; the queue's waiting conversations may go to whoever has room now. */
  async release(conv: Conversation, seat: Seat | undefined): Promise<Result<{ previous: string }>> { return this.freeing(conv, await release(this.chat, conv, seat)); }
  /** See claims/close-reopen.ts. */
  async close(conv: Conversation, seat: Seat | undefined): Promise<Result<Conversation>> { return this.freeing(conv, await close(this.chat, conv, seat)); }
  /** The desk closes a silent conversation (see claims/close-reopen.ts `closeInactive`); undefined when it was closed already. */
  async closeInactive(conv: Conversation): Promise<Conversation | undefined> {
    const closed = await closeInactive(this.chat, conv, DESK_AUTHOR);
    if (closed) this.kick(conv.queue);
    return closed;
  }
  /** See claims/close-reopen.ts. */
  async reopen(conv: Conversation, seat: Seat | undefined): Promise<Result<Conversation>> { return this.freeing(conv, await reopen(this.chat, conv, seat)); }
  /** See claims/transfer.ts. */
  async transfer(conv: Conversation, seat: Seat | undefined, to: Seat | undefined, reason: string): Promise<Result<{ from: string | undefined }>> {
    return this.freeing(conv, await transfer(this.chat, conv, seat, to, reason));
  }

  /** After a seat lost a chat (release, close, transfer away) or a chat waits again (reopen): assignment may have work. */
  private freeing<T>(conv: Conversation, result: Result<T>): Result<T> {
    if (result.ok) this.kick(conv.queue);
    return result;
  }
  /** See escalate.ts. */
  escalate(conv: Conversation, seat: Seat | undefined, to: Seat[], reason: string): Promise<Result<Seat[]>> { return escalate(this.chat, conv, seat, to, reason); }

  /** The claimer's reply to the customer (see reply-to-customer.ts). */
  replyToCustomer(conv: Conversation, seat: Seat, text: string, agentMessageId?: string): Promise<Result<void>> {
    return replyToCustomer(this.replies, conv, seat, text, agentMessageId);
  }

  /** `!tag` / `!untag` (see tag.ts). */
  async tag(conv: Conversation, seat: Seat | undefined, words: TagWords, mode: 'add' | 'remove'): Promise<Result<Conversation>> {
    const result = await tag(this.chat, conv, seat, words, mode);
    // An urgent tag schedules the supervisors' DM due now: wake the scheduler for it.
    if (result.ok && isUrgent(result.value)) this.parts.timers?.notify(this.parts.clock.now());
    return result;
  }

  /** An internal note: kept in the transcript, never sent to the customer. */
  note(conv: Conversation, author: string, text: string): Promise<void> { return addNote(this.chat, conv, author, text); }

  /** Streams the transcripts a seat may export into `sink` (see export-transcripts.ts). */
  exportTranscripts(seat: Seat, range: ExportRange, sink: ExportSink, onProgress?: (rows: number) => Promise<void>): Promise<{ rows: number; conversations: number }> {
    return exportTranscripts(this.exports, seat, range, sink, onProgress);
  }

  /** What waits in the queues `seat` may see, and who is online there (see overview/queue-overview.ts). */
  queueOverview(seat: Seat, name?: string): Promise<Result<QueueOverview[]>> {
    const { store, clock, conversations, seats, settings } = this.parts;
    return queueOverview({ store, clock, conversations, seats, queues: settings.queues, channels: settings.channels }, seat, name);
  }

  /** `/stats`: the figures of the departments `seat` may see (see stats/stats-for-seat.ts). */
  stats(seat: Seat, period: string | undefined, queue?: string): Promise<Result<DepartmentStats[]>> { return statsForSeat(this.figures, seat, period, queue); }
  /** `GET /api/stats`: every department's figures over local dates. */
  statsForRange(from: string, to: string): Promise<Result<DepartmentStats[]>> { return statsForRange(this.figures, from, to); }
  /** One department's figures (the weekly digest). */
  statsOfDepartment(department: string, range: DateRange): Promise<DepartmentStats> { return statsOfDepartment(this.figures, department, range); }
  /** The time zone a department's figures and digest are counted in (see stats/department-zone.ts). */
  departmentZone(department: string): string { return this.figures.zoneOf(department); }
  /** The writes that record an SLA breach (for the SLA timers; see stats/stats-recorder.ts). */
  get statsRecorder(): StatsRecorder { return this.recorder; }

  /** See Notifier.notice. */
  notice(conv: Pick<Conversation, 'id' | 'queue'>, text: string, mention?: string): Promise<void> { return this.notifier.notice(conv, text, mention); }
  /** See Notifier.tellPrivately. */
  tellPrivately(platform: Platform, user: string, text: string, where?: PrivateWhere, view?: PrivateView): Promise<void> { return this.notifier.tellPrivately(platform, user, text, where, view); }
  /** See Notifier.dmSeat. */
  dmSeat(seat: Seat, text: string, convId?: string, file?: { path: string; name: string }, actions?: DmAction[]): Promise<void> {
    return this.notifier.dmSeat(seat, text, convId, file, actions);
  }
  /** See Notifier.markDelivered. */
  markDelivered(conv: Pick<Conversation, 'id' | 'queue'>, agentMessageId: string, mark?: DeliveryMark): Promise<void> { return this.notifier.markDelivered(conv, agentMessageId, mark); }
  /** See Notifier.refreshHeader. */
  refreshHeader(conv: Pick<Conversation, 'id' | 'queue'>): Promise<void> { return this.notifier.refreshHeader(conv); }

  /** Display name of a seat id, for messages and headers. */
  nameOf(seatId: string | undefined): Promise<string> { return nameOf(this.parts.seats, seatId); }

  /** Appends an audit entry (see record-audit.ts). */
  audit(actor: string, action: string, target: string, before: unknown, after: unknown, outcome: 'ok' | 'denied' = 'ok', detail?: string): Promise<void> {
    return recordAudit(this.parts.audit, actor, action, target, before, after, outcome, detail);
  }
}
