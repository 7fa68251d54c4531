import type { Conversation, InboundCustomerMessage, Platform, Seat, ThreadRef } from './model.js';
import type { Clock, StorePort } from './ports.js';
import { fail, ok, type Result } from './result.js';
import { keys } from './keys.js';
import { can, type Permission } from './permissions.js';
import { receiveCustomerMessage, type ReceiveOutcome } from './intake/receive-customer-message.js';
import { replyToCustomer } from './reply-to-customer.js';
import type { AuditLog } from './audit-log.js';
import type { Conversations } from './conversations.js';
import type { Dedupe } from './dedupe.js';
import type { Outbox } from './outbox/outbox.js';
import { lanes } from './outbox/items.js';
import type { Seats } from './seats.js';
import type { ThreadMessageRules } from './thread-message.js';
import type { SeatTemplate } from './seat-admin.js';
import type { ExportSink } from './export-transcripts.js';
import type { Alerts } from './security/alerts.js';

/** Where a queue's conversations are mirrored. */
export interface QueueRoute {
  name: string;
  department: string;
  messenger: Platform;
  channel: string;
}

export interface DeskSettings {
  queues: Readonly<Record<string, QueueRoute>>;
  defaultQueue: string;
  /** With nobody claimed, the first agent who replies claims the conversation (SPEC §5). */
  firstReplierClaims: boolean;
  rules: ThreadMessageRules;
  /** Named seat defaults for `/seat add … template=…` and CSV imports. */
  seatTemplates?: Readonly<Record<string, SeatTemplate>>;
}

/** Creates the file an export is streamed into (runtime: a file under DATA_DIR or the temp dir). */
export type ExportFiles = (name: string) => Promise<ExportSink>;

export interface DeskDeps {
  store: StorePort;
  clock: Clock;
  newId: () => string;
  settings: DeskSettings;
  conversations: Conversations;
  seats: Seats;
  outbox: Outbox;
  audit: AuditLog;
  dedupe: Dedupe;
  exportFiles?: ExportFiles;
  /** Security alerts; absent when the monitor is not wired (some tests). */
  alerts?: Alerts;
}

export type { ReceiveOutcome };

/**
 * The desk: what happens to conversations, whoever asks. No platform types,
 * no I/O but the ports; every effect on a messenger or customer goes into the
 * outbox.
 */
export class Desk {
  constructor(readonly deps: DeskDeps) {}

  get conversations(): Conversations { return this.deps.conversations; }
  get seats(): Seats { return this.deps.seats; }
  get settings(): DeskSettings { return this.deps.settings; }

  queueOf(conv: Pick<Conversation, 'queue'>): QueueRoute {
    const q = this.deps.settings.queues[conv.queue] ?? this.deps.settings.queues[this.deps.settings.defaultQueue];
    if (!q) throw new Error(`queue '${conv.queue}' has no route and there is no default queue`);
    return q;
  }

  /** A customer message arrives from a channel (see intake/receive-customer-message.ts). */
  receiveCustomerMessage(msg: InboundCustomerMessage): Promise<ReceiveOutcome> {
    const d = this.deps;
    return receiveCustomerMessage({
      store: d.store, clock: d.clock, newId: d.newId, conversations: d.conversations, outbox: d.outbox, dedupe: d.dedupe,
      defaultQueue: d.settings.defaultQueue, messengerOf: (conv) => this.queueOf(conv).messenger,
    }, msg);
  }

  /** A messenger opened (or re-opened) the thread of a conversation. */
  async threadOpened(convId: string, thread: ThreadRef): Promise<Conversation | undefined> {
    const conv = await this.deps.conversations.update(convId, (c) => ({ ...c, thread }));
    if (conv) await this.deps.conversations.indexThread(conv);
    return conv;
  }

  /** Claim: of any number of simultaneous claimers, on any replica, exactly one wins. */
  async claim(conv: Conversation, seat: Seat | undefined): Promise<Result<Conversation>> {
    const denied = await this.check(conv, seat, 'chat.claim', 'claim');
    if (denied) return denied;
    const s = seat!;
    if (conv.status === 'closed') return fail('conversation_closed');
    const won = await this.deps.store.setIfAbsent(keys.claim(conv.id), s.id);
    if (!won) {
      const holder = await this.deps.conversations.claimer(conv.id);
      if (holder === s.id) return fail('already_yours');
      return fail('already_claimed', { holder: await this.nameOf(holder) });
    }
    await this.deps.store.addMember(keys.seatChats(s.id), conv.id);
    await this.audit(s.id, 'chat.claim', conv.id, undefined, s.id);
    await this.refreshHeader(conv);
    return ok(conv);
  }

  /** Release: the claimer, or a supervisor+ for someone else's chat. */
  async release(conv: Conversation, seat: Seat | undefined): Promise<Result<{ previous: string }>> {
    const denied = await this.check(conv, seat, 'chat.claim', 'release');
    if (denied) return denied;
    const s = seat!;
    const holder = await this.deps.conversations.claimer(conv.id);
    if (!holder) return fail('not_claimed');
    if (holder !== s.id && !can(s, 'chat.transfer.any', { department: this.queueOf(conv).department })) {
      return fail('not_claimer', { holder: await this.nameOf(holder) });
    }
    if (!(await this.deps.store.compareAndDelete(keys.claim(conv.id), holder))) return fail('not_claimed');
    await this.deps.store.removeMember(keys.seatChats(holder), conv.id);
    await this.audit(s.id, 'chat.release', conv.id, holder, undefined);
    await this.refreshHeader(conv);
    return ok({ previous: await this.nameOf(holder) });
  }

  async close(conv: Conversation, seat: Seat | undefined): Promise<Result<Conversation>> {
    const denied = await this.check(conv, seat, 'chat.claim', 'close');
    if (denied) return denied;
    const s = seat!;
    if (conv.status === 'closed') return fail('conversation_closed');
    const holder = await this.deps.conversations.claimer(conv.id);
    if (holder && holder !== s.id && !can(s, 'chat.transfer.any', { department: this.queueOf(conv).department })) {
      return fail('not_claimer', { holder: await this.nameOf(holder) });
    }
    const now = this.deps.clock.now();
    const closed = await this.deps.conversations.update(conv.id, (c) => ({ ...c, status: 'closed', closedAt: now }));
    if (holder) {
      await this.deps.store.compareAndDelete(keys.claim(conv.id), holder);
      await this.deps.store.removeMember(keys.seatChats(holder), conv.id);
    }
    await this.deps.conversations.appendTranscript(conv.id, { at: now, direction: 'event', text: 'closed', author: s.id });
    await this.audit(s.id, 'chat.close', conv.id, 'open', 'closed');
    await this.refreshHeader(conv);
    return ok(closed ?? conv);
  }

  async reopen(conv: Conversation, seat: Seat | undefined): Promise<Result<Conversation>> {
    const denied = await this.check(conv, seat, 'chat.claim', 'reopen');
    if (denied) return denied;
    const s = seat!;
    if (conv.status === 'open') return fail('conversation_open');
    const now = this.deps.clock.now();
    const reopened = await this.deps.conversations.update(conv.id, (c) => {
      const { closedAt: _closed, ...rest } = c;
      return { ...rest, status: 'open' };
    });
    // The customer's mapping still names this conversation unless they started a newer one
    // since; either way their next message lands in an open conversation.
    await this.deps.conversations.appendTranscript(conv.id, { at: now, direction: 'event', text: 'reopened', author: s.id });
    await this.audit(s.id, 'chat.reopen', conv.id, 'closed', 'open');
    await this.refreshHeader(conv);
    return ok(reopened ?? conv);
  }

  /**
   * Hands a chat to another seat (SPEC §6 `/transfer`): by its claimer, or by a
   * supervisor+ of its department. The receiver must be an enabled seat with
   * access to the queue and room under its maximum. Atomic against a
   * concurrent claim or transfer (compare-and-set on the claim lease).
   */
  async transfer(conv: Conversation, seat: Seat | undefined, to: Seat | undefined, reason: string): Promise<Result<{ from: string | undefined }>> {
    const denied = await this.check(conv, seat, 'chat.claim', 'transfer');
    if (denied) return denied;
    const s = seat!;
    if (conv.status === 'closed') return fail('conversation_closed');
    const department = this.queueOf(conv).department;
    const holder = await this.deps.conversations.claimer(conv.id);
    if (holder !== s.id && !can(s, 'chat.transfer.any', { department })) {
      return holder ? fail('not_claimer', { holder: await this.nameOf(holder) }) : fail('permission_denied', { action: 'transfer chats you do not hold' });
    }
    if (!to) return fail('unknown_seat');
    if (to.id === holder) return fail('already_claimed', { holder: to.name });
    const room = await this.hasRoom(to);
    if (!to.enabled || !can(to, 'chat.claim', { department }) || !room) {
      const why = !to.enabled ? 'their seat is disabled' : !room ? `they already hold ${to.maxChats} chats, their maximum` : `they have no access to the ${conv.queue} queue`;
      return fail('receiver_unavailable', { seat: to.name, why });
    }
    const moved = holder
      ? await this.deps.store.compareAndSet(keys.claim(conv.id), holder, to.id)
      : await this.deps.store.setIfAbsent(keys.claim(conv.id), to.id);
    if (!moved) return fail('already_claimed', { holder: await this.nameOf(await this.deps.conversations.claimer(conv.id)) });
    if (holder) await this.deps.store.removeMember(keys.seatChats(holder), conv.id);
    await this.deps.store.addMember(keys.seatChats(to.id), conv.id);
    await this.deps.conversations.appendTranscript(conv.id, { at: this.deps.clock.now(), direction: 'event', text: `transferred to ${to.name}${reason ? `: ${reason}` : ''}`, author: s.id });
    await this.audit(s.id, 'chat.transfer', conv.id, holder, to.id, 'ok', reason);
    await this.refreshHeader(conv);
    return ok({ from: holder });
  }

  /** Whether a seat can take one more chat. */
  async hasRoom(seat: Seat): Promise<boolean> {
    return (await this.deps.seats.chatsOf(seat.id)).length < seat.maxChats;
  }

  /**
   * Calls in at most two colleagues (SPEC §5): recorded on the conversation
   * and in the audit log; the caller sends each a DM.
   */
  async escalate(conv: Conversation, seat: Seat | undefined, to: Seat[], reason: string): Promise<Result<Seat[]>> {
    if (!seat) return fail('not_a_seat');
    if (!seat.enabled) return fail('seat_disabled');
    if (!can(seat, 'chat.reply', { department: this.queueOf(conv).department })) {
      return fail('permission_denied', { action: 'escalate' });
    }
    if (to.length > 2) return fail('too_many_mentions', { count: to.length });
    if (!to.length) return fail('bad_arguments', { usage: 'escalate @colleague [@colleague] reason' });
    const at = this.deps.clock.now();
    await this.deps.conversations.update(conv.id, (c) => ({ ...c, escalations: [...(c.escalations ?? []), { by: seat.id, to: to.map((t) => t.id), reason, at }] }));
    await this.deps.conversations.appendTranscript(conv.id, { at, direction: 'event', text: `escalated to ${to.map((t) => t.name).join(' and ')}${reason ? `: ${reason}` : ''}`, author: seat.id });
    await this.audit(seat.id, 'chat.escalate', conv.id, undefined, to.map((t) => t.id), 'ok', reason);
    return ok(to);
  }

  /** The claimer's reply to the customer (see reply-to-customer.ts). */
  replyToCustomer(conv: Conversation, seat: Seat, text: string, agentMessageId?: string): Promise<Result<void>> {
    const d = this.deps;
    return replyToCustomer({
      store: d.store, clock: d.clock, conversations: d.conversations, outbox: d.outbox, dedupe: d.dedupe,
      departmentOf: (conv) => this.queueOf(conv).department,
    }, conv, seat, text, agentMessageId);
  }

  /** An internal note: kept in the transcript, never sent to the customer. */
  async note(conv: Conversation, author: string, text: string): Promise<void> {
    await this.deps.conversations.appendTranscript(conv.id, { at: this.deps.clock.now(), direction: 'note', text, author });
  }

  /** Queues a notice into the conversation's thread (agents only). */
  async notice(conv: Conversation, text: string): Promise<void> {
    await this.deps.outbox.append(lanes.thread(conv.id), this.queueOf(conv).messenger, { op: 'thread.notice', convId: conv.id, text });
  }

  /** Queues a message only `user` sees, where they are. */
  async tellPrivately(platform: Platform, user: string, text: string, where?: { channel?: string; thread?: string }): Promise<void> {
    await this.deps.outbox.append(lanes.person(platform, user), platform, {
      op: 'private', platform, user, text,
      ...(where?.channel ? { channel: where.channel } : {}),
      ...(where?.thread ? { thread: where.thread } : {}),
    });
  }

  /** A DM to a seat on the messenger it uses (its first binding), optionally linking a conversation. */
  async dmSeat(seat: Seat, text: string, convId?: string, file?: { path: string; name: string }, actions?: { id: string; label: string; fallback: string }[]): Promise<void> {
    const binding = seat.bindings[0];
    if (!binding) return;
    await this.deps.outbox.append(lanes.person(binding.platform, binding.userId), binding.platform, {
      op: 'dm', platform: binding.platform, user: binding.userId, text,
      ...(convId ? { convId } : {}), ...(file ? { file } : {}), ...(actions?.length ? { actions } : {}),
    });
  }

  async markDelivered(conv: Conversation, agentMessageId: string): Promise<void> {
    await this.deps.outbox.append(lanes.thread(conv.id), this.queueOf(conv).messenger, { op: 'thread.delivered', convId: conv.id, messageId: agentMessageId });
  }

  async refreshHeader(conv: Pick<Conversation, 'id' | 'queue'>): Promise<void> {
    await this.deps.outbox.append(lanes.header(conv.id), this.queueOf(conv).messenger, { op: 'thread.header', convId: conv.id });
  }

  /** Display name of a seat id, for messages and headers. */
  async nameOf(seatId: string | undefined): Promise<string> {
    if (!seatId) return 'nobody';
    return (await this.deps.seats.get(seatId))?.name ?? seatId;
  }

  async audit(actor: string, action: string, target: string, before: unknown, after: unknown, outcome: 'ok' | 'denied' = 'ok', detail?: string): Promise<void> {
    await this.deps.audit.append({ actor, action, target, before, after, outcome, ...(detail ? { detail } : {}) });
  }

  /** Seat present, enabled, allowed, in the conversation's department (refusals are audited by the handlers). */
  private async check(conv: Conversation, seat: Seat | undefined, permission: Permission, action: string): Promise<Result<never> | undefined> {
    if (!seat) return fail('not_a_seat');
    if (!seat.enabled) return fail('seat_disabled');
    if (!can(seat, permission)) return fail('permission_denied', { action });
    if (!can(seat, permission, { department: this.queueOf(conv).department })) return fail('outside_department', { department: this.queueOf(conv).department });
    return undefined;
  }
}
