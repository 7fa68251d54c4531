import type { Customer, Conversation, CustomerChannelName, InboundCustomerMessage, Platform, Seat, ThreadRef } from './model.js';
import type { Clock } from './ports.js';
import type { Result } from './result.js';
import type { AgentFile } from './files/agent-file.js';
import type { AuditLog } from './audit-log.js';
import type { Conversations } from './conversations.js';
import type { Dedupe } from './dedupe.js';
import type { Outbox } from './outbox/outbox.js';
import type { Seats } from './seats.js';
import type { Alerts } from './security/alerts.js';
import type { QuotedMessage } from './render/render-reference.js';
import type { DeskDeps, DeskSettings, ExportFiles } from './desk-deps.js';
import { deskPorts, type DeskPorts } from './desk-ports.js';
import { receiveCustomerMessage, type ReceiveOutcome } from './intake/receive-customer-message.js';
import { findQuotedMessage } from './intake/find-quoted-message.js';
import { changeCustomerNumber, type CustomerNumberChange, type NumberChangeOutcome } from './intake/change-customer-number.js';
import { replyToCustomer } from './reply-to-customer.js';
import { exportTranscripts, type ExportRange, type ExportSink } from './export-transcripts.js';
import { claim } from './claims/claim.js';
import { release } from './claims/release.js';
import { close, closeInactive, reopen } from './claims/close-reopen.js';
import { DESK_AUTHOR } from './intake/receive-customer-message.js';
import { isUrgent } from './sla/sla-timer-ops.js';
import { transfer } from './claims/transfer.js';
import { escalate } from './escalate.js';
import { addNote } from './add-note.js';
import { tag, type TagWords } from './tag.js';
import { recordThread } from './record-thread.js';
import { recordAudit } from './record-audit.js';
import { nameOf } from './seat-name.js';
import type { Notifier, DmAction, PrivateWhere, DeliveryMark } from './notifier.js';
import { TypingRelay } from './typing-relay.js';
import type { QueueRouter, QueueRoute } from './queue-router.js';
import { assignWaiting, type Assigned } from './assignment/assign-waiting.js';
import { entryWelcome, markWelcomed } from './intake/entry-welcome.js';
import type { PrivateView } from './overview/private-view.js';
import { queueOverview, type QueueOverview } from './overview/queue-overview.js';
import type { StatsRecorder } from './stats/stats-recorder.js';
import { statsForRange, statsForSeat, statsOfDepartment } from './stats/stats-for-seat.js';
import type { DepartmentStats } from './stats/read-stats.js';
import type { DateRange } from './stats/stat-range.js';
import { ReplyExtras } from './replies/reply-extras.js';

export type { QueueRoute, ReceiveOutcome };
export type { DeskDeps, DeskSettings, ExportFiles } from './desk-deps.js';
/**
 * The desk: a facade that wires the use cases (claims/, intake/, escalate,
 * reply-to-customer, the Notifier…) to their ports (desk-ports.ts), so handlers
 * and adapters call `desk.claim(…)` without knowing the store. No logic lives here.
 */
export class Desk {
  readonly router: QueueRouter;
  readonly notifier: Notifier;
  /** Templates, and edits and deletes of sent replies (see replies/reply-extras.ts). */
  readonly extras: ReplyExtras;
  /** Agents' typing, to the customer channels that show it (see typing-relay.ts). */
  readonly typing: TypingRelay;
  private readonly ports: DeskPorts;

  constructor(private readonly parts: DeskDeps) {
    this.ports = deskPorts(parts);
    this.router = this.ports.router;
    this.notifier = this.ports.notifier;
    this.typing = new TypingRelay(parts.clock);
    this.extras = new ReplyExtras({ ...this.ports.replies, locks: parts.locks });
  }

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
  /** Tests wrap it (a slow or failing disk). */
  set exportFiles(files: ExportFiles | undefined) { this.parts.exportFiles = files; }
  /** The outbox every notice and reply is written to. */
  get outbox(): Outbox { return this.parts.outbox; }
  /** Security alerts; absent when the monitor is not wired. */
  get alerts(): Alerts | undefined { return this.parts.alerts; }

  /** The route of a conversation's queue (see queue-router.ts). */
  queueOf(conv: Pick<Conversation, 'queue'>): QueueRoute { return this.router.routeOf(conv); }

  /** A customer message arrives from a channel (see intake/receive-customer-message.ts); a new conversation is then assigned. */
  async receiveCustomerMessage(msg: InboundCustomerMessage): Promise<ReceiveOutcome> {
    const out = await receiveCustomerMessage(this.ports.intake, msg);
    if (out.status === 'accepted' && out.opened) this.kick(out.conversation.queue);
    if (out.status === 'accepted' && out.timersDueAt !== undefined) this.parts.timers?.notify(out.timersDueAt);
    return out;
  }

  /** The welcome for a customer who entered a channel's session before writing (see intake/entry-welcome.ts). */
  entryWelcome(channel: CustomerChannelName, account: string, customer: Customer): Promise<string | undefined> { return entryWelcome(this.ports.intake, channel, account, customer); }
  /** The channel greeted the customer on entry: their first message gets no second welcome. */
  markWelcomed(channel: CustomerChannelName, account: string, customerId: string): Promise<void> { return markWelcomed(this.ports.intake, channel, account, customerId); }

  /** Gives a queue's waiting conversations to seats with room (see assignment/assign-waiting.ts). */
  assignWaiting(queue: string, onAssigned?: (conv: Conversation, seat: Seat) => Promise<void>): Promise<{ assigned: Assigned[]; more: boolean }> {
    return assignWaiting(onAssigned ? { ...this.ports.chat, onAssigned } : this.ports.chat, queue);
  }

  /** Asks for assignment in a queue soon: a conversation waits there, or a seat may have room. */
  kick(queue: string): void { this.parts.assignment?.kick(queue); }

  /** What the desk knows of an earlier customer message a reaction or an edit points at. */
  findQuotedMessage(channel: CustomerChannelName, account: string, customerId: string, messageId: string): Promise<QuotedMessage> {
    return findQuotedMessage(this.ports.lookups, channel, account, customerId, messageId);
  }

  /** A customer now writes from another id on the same channel account (see intake/change-customer-number.ts). */
  changeCustomerNumber(change: CustomerNumberChange): Promise<NumberChangeOutcome> { return changeCustomerNumber(this.ports.lookups, change); }

  /** A messenger opened (or re-opened) the thread of a conversation. */
  threadOpened(convId: string, thread: ThreadRef): Promise<Conversation | undefined> { return recordThread(this.parts.conversations, convId, thread); }

  /** See claims/claim.ts. */
  claim(conv: Conversation, seat: Seat | undefined, opts: { force?: boolean } = {}): Promise<Result<Conversation>> { return claim(this.ports.chat, conv, seat, opts); }
  /** See claims/release.ts; the queue's waiting conversations may go to whoever has room now. */
  async release(conv: Conversation, seat: Seat | undefined): Promise<Result<{ previous: string }>> { return this.freeing(conv, await release(this.ports.chat, conv, seat)); }
  /** See claims/close-reopen.ts. */
  async close(conv: Conversation, seat: Seat | undefined): Promise<Result<Conversation>> { return this.freeing(conv, await close(this.ports.chat, conv, seat)); }
  /** The desk closes a silent conversation (see claims/close-reopen.ts `closeInactive`); undefined when it was closed already. */
  async closeInactive(conv: Conversation): Promise<Conversation | undefined> {
    const closed = await closeInactive(this.ports.chat, conv, DESK_AUTHOR);
    if (closed) this.kick(conv.queue);
    return closed;
  }
  /** See claims/close-reopen.ts. */
  async reopen(conv: Conversation, seat: Seat | undefined): Promise<Result<Conversation>> { return this.freeing(conv, await reopen(this.ports.chat, conv, seat)); }
  /** See claims/transfer.ts. */
  async transfer(conv: Conversation, seat: Seat | undefined, to: Seat | undefined, reason: string): Promise<Result<{ from: string | undefined }>> {
    return this.freeing(conv, await transfer(this.ports.chat, conv, seat, to, reason));
  }

  /** After a seat lost a chat (release, close, transfer away) or a chat waits again (reopen): assignment may have work. */
  private freeing<T>(conv: Conversation, result: Result<T>): Result<T> {
    if (result.ok) this.kick(conv.queue);
    return result;
  }
  /** See escalate.ts. */
  escalate(conv: Conversation, seat: Seat | undefined, to: Seat[], reason: string): Promise<Result<Seat[]>> { return escalate(this.ports.chat, conv, seat, to, reason); }

  /** The claimer's reply to the customer (see reply-to-customer.ts). */
  replyToCustomer(conv: Conversation, seat: Seat, text: string, agentMessageId?: string, files?: readonly AgentFile[]): Promise<Result<void>> {
    return replyToCustomer(this.ports.replies, conv, seat, text, agentMessageId, files);
  }

  /** `!tag` / `!untag` (see tag.ts). */
  async tag(conv: Conversation, seat: Seat | undefined, words: TagWords, mode: 'add' | 'remove'): Promise<Result<Conversation>> {
    const result = await tag(this.ports.chat, conv, seat, words, mode);
    // An urgent tag schedules the supervisors' DM due now: wake the scheduler for it.
    if (result.ok && isUrgent(result.value)) this.parts.timers?.notify(this.parts.clock.now());
    return result;
  }

  /** An internal note: kept in the transcript, never sent to the customer. */
  note(conv: Conversation, author: string, text: string): Promise<void> { return addNote(this.ports.chat, conv, author, text); }

  /** Streams the transcripts a seat may export into `sink` (see export-transcripts.ts). */
  exportTranscripts(seat: Seat, range: ExportRange, sink: ExportSink, onProgress?: (rows: number) => Promise<void>): Promise<{ rows: number; conversations: number }> {
    return exportTranscripts(this.ports.exports, seat, range, sink, onProgress);
  }

  /** What waits in the queues `seat` may see, and who is online there (see overview/queue-overview.ts). */
  queueOverview(seat: Seat, name?: string): Promise<Result<QueueOverview[]>> {
    return queueOverview(this.ports.overview, seat, name);
  }

  /** `/stats`: the figures of the departments `seat` may see (see stats/stats-for-seat.ts). */
  stats(seat: Seat, period: string | undefined, queue?: string): Promise<Result<DepartmentStats[]>> { return statsForSeat(this.ports.figures, seat, period, queue); }
  /** `GET /api/stats`: every department's figures over local dates. */
  statsForRange(from: string, to: string): Promise<Result<DepartmentStats[]>> { return statsForRange(this.ports.figures, from, to); }
  /** One department's figures (the weekly digest). */
  statsOfDepartment(department: string, range: DateRange): Promise<DepartmentStats> { return statsOfDepartment(this.ports.figures, department, range); }
  /** The time zone a department's figures and digest are counted in (see stats/department-zone.ts). */
  departmentZone(department: string): string { return this.ports.figures.zoneOf(department); }
  /** The writes that record an SLA breach (for the SLA timers; see stats/stats-recorder.ts). */
  get statsRecorder(): StatsRecorder { return this.ports.recorder; }

  // What the Notifier queues (notices, private answers, DMs, marks, headers): see notifier.ts.
  notice(conv: Pick<Conversation, 'id' | 'queue'>, text: string, mention?: string): Promise<void> { return this.notifier.notice(conv, text, mention); }
  tellPrivately(platform: Platform, user: string, text: string, where?: PrivateWhere, view?: PrivateView): Promise<void> { return this.notifier.tellPrivately(platform, user, text, where, view); }
  dmSeat(seat: Seat, text: string, convId?: string, file?: { path: string; name: string }, actions?: DmAction[]): Promise<void> { return this.notifier.dmSeat(seat, text, convId, file, actions); }
  markDelivered(conv: Pick<Conversation, 'id' | 'queue'>, agentMessageId: string, mark?: DeliveryMark): Promise<void> { return this.notifier.markDelivered(conv, agentMessageId, mark); }
  refreshHeader(conv: Pick<Conversation, 'id' | 'queue'>): Promise<void> { return this.notifier.refreshHeader(conv); }
  /** Display name of a seat id, for messages and headers. */
  nameOf(seatId: string | undefined): Promise<string> { return nameOf(this.parts.seats, seatId); }

  /** Appends an audit entry (see record-audit.ts). */
  audit(actor: string, action: string, target: string, before: unknown, after: unknown, outcome: 'ok' | 'denied' = 'ok', detail?: string): Promise<void> {
    return recordAudit(this.parts.audit, actor, action, target, before, after, outcome, detail);
  }
}
