import type { Conversation, Seat } from '../model.js';
import type { Clock, StorePort } from '../ports.js';
import type { Conversations } from '../conversations.js';
import type { Seats } from '../seats.js';
import type { Notifier } from '../notifier.js';
import { keys } from '../keys.js';
import { can } from '../permissions.js';
import { fail, ok, type Result } from '../result.js';
import { recordAudit, type AuditWriter } from '../record-audit.js';
import { nameOf } from '../seat-name.js';
import { checkSeat } from './check-seat.js';
import { refreshSeatLoad, type SeatLoadPorts } from '../assignment/seat-load.js';
import { closedTimerOps, SLA_TIMERS, type SlaTimerKind } from '../sla/sla-timer-ops.js';
import type { StatsPorts } from '../stats/stats-recorder.js';

/** What closing and reopening a conversation need. */
export interface CloseReopenPorts extends SeatLoadPorts {
  /** Closing ends the claim: compare-and-delete on the lease, the holder's held chats and load-index entries (seat-load.ts), and the conversation's timers. */
  store: SeatLoadPorts['store'] & Pick<StorePort, 'compareAndDelete' | 'zAdd' | 'zRemove' | 'writeAtomically'>;
  clock: Clock;
  conversations: Pick<Conversations, 'claimer' | 'update' | 'appendTranscript' | 'get'>;
  seats: Pick<Seats, 'get'>;
  audit: AuditWriter;
  notifier: Pick<Notifier, 'refreshHeader'>;
  departmentOf: (conv: Conversation) => string;
  /** Figures kept as events happen (absent: none kept). */
  stats?: StatsPorts;
}

/** Close: by the claimer, anyone on an unclaimed chat, or a supervisor+; the claim ends with it. */
export async function close(d: CloseReopenPorts, conv: Conversation, seat: Seat | undefined): Promise<Result<Conversation>> {
  const denied = checkSeat(seat, 'chat.claim', 'close', () => d.departmentOf(conv));
  if (denied) return denied;
  const s = seat!;
  if (conv.status === 'closed') return fail('conversation_closed');
  const holder = await d.conversations.claimer(conv.id);
  if (holder && holder !== s.id && !can(s, 'chat.transfer.any', { department: d.departmentOf(conv) })) {
    return fail('not_claimer', { holder: await nameOf(d.seats, holder) });
  }
  return ok(await endConversation(d, conv, s.id, holder));
}

/**
 * The desk closes a conversation nobody wrote in for the queue's inactivity
 * time (SPEC §7): the same effects as a close, by the desk itself. The
 * caller's timer (`inactive`) is left for its own firing to remove. Returns
 * undefined when it was closed already (a late or repeated firing).
 */
export async function closeInactive(d: CloseReopenPorts, conv: Conversation, actor: string): Promise<Conversation | undefined> {
  const current = await d.conversations.get(conv.id);
  if (!current || current.status === 'closed') return undefined;
  return endConversation(d, current, actor, await d.conversations.claimer(conv.id), SLA_TIMERS.inactive);
}

/** A close's effects: status, claim or waiting entry, its timers, transcript, audit and header. */
async function endConversation(d: CloseReopenPorts, conv: Conversation, actor: string, holder: string | undefined, keepTimer?: SlaTimerKind): Promise<Conversation> {
  const now = d.clock.now();
  let wasOpen = false;
  const closed = await d.conversations.update(conv.id, (c) => {
    wasOpen = c.status === 'open';
    return wasOpen ? { ...c, status: 'closed', closedAt: now } : c;
  }, (next) => (wasOpen && d.stats ? d.stats.store.writeAtomically(d.stats.recorder.closed(next.queue, next.id, now)) : Promise.resolve()));
  if (holder) {
    await d.store.compareAndDelete(keys.claim(conv.id), holder);
    await refreshSeatLoad(d, holder, { drop: conv.id });
  } else {
    await d.store.zRemove(keys.waiting(conv.queue), conv.id);
  }
  // Its SLA and inactivity timers have nothing left to chase.
  await d.store.writeAtomically(closedTimerOps(conv.id, keepTimer));
  await d.conversations.appendTranscript(conv.id, { at: now, direction: 'event', text: 'closed', author: actor });
  await recordAudit(d.audit, actor, 'chat.close', conv.id, 'open', 'closed');
  await d.notifier.refreshHeader(conv);
  return closed ?? conv;
}

/** Reopen a closed conversation, unclaimed. */
export async function reopen(d: CloseReopenPorts, conv: Conversation, seat: Seat | undefined): Promise<Result<Conversation>> {
  const denied = checkSeat(seat, 'chat.claim', 'reopen', () => d.departmentOf(conv));
  if (denied) return denied;
  const s = seat!;
  if (conv.status === 'open') return fail('conversation_open');
  const now = d.clock.now();
  let wasClosed = false;
  const reopened = await d.conversations.update(conv.id, (c) => {
    wasClosed = c.status === 'closed';
    const { closedAt: _closed, ...rest } = c;
    return wasClosed ? { ...rest, status: 'open' } : c;
  }, (next) => (wasClosed && d.stats ? d.stats.store.writeAtomically(d.stats.recorder.reopened(next.queue)) : Promise.resolve()));
  // The customer's mapping still names this conversation unless they started a newer one
  // since; either way their next message lands in an open conversation. Unclaimed, it waits again.
  await d.store.zAdd(keys.waiting(conv.queue), conv.id, now);
  await d.conversations.appendTranscript(conv.id, { at: now, direction: 'event', text: 'reopened', author: s.id });
  await recordAudit(d.audit, s.id, 'chat.reopen', conv.id, 'closed', 'open');
  await d.notifier.refreshHeader(conv);
  return ok(reopened ?? conv);
}
