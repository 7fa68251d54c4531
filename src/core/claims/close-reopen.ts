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
import type { StatsPorts } from '../stats/stats-recorder.js';

/** What closing and reopening a conversation need. */
export interface CloseReopenPorts {
  /** Closing ends the claim: compare-and-delete on the lease, and the holder's set of held chats. */
  store: Pick<StorePort, 'compareAndDelete' | 'removeMember' | 'zAdd' | 'zRemove'>;
  clock: Clock;
  conversations: Pick<Conversations, 'claimer' | 'update' | 'appendTranscript'>;
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
  const now = d.clock.now();
  let wasOpen = false;
  const closed = await d.conversations.update(conv.id, (c) => {
    wasOpen = c.status === 'open';
    return wasOpen ? { ...c, status: 'closed', closedAt: now } : c;
  }, (next) => (wasOpen && d.stats ? d.stats.store.writeAtomically(d.stats.recorder.closed(next.queue, next.id, now)) : Promise.resolve()));
  if (holder) {
    await d.store.compareAndDelete(keys.claim(conv.id), holder);
    await d.store.removeMember(keys.seatChats(holder), conv.id);
  } else {
    await d.store.zRemove(keys.waiting(conv.queue), conv.id);
  }
  await d.conversations.appendTranscript(conv.id, { at: now, direction: 'event', text: 'closed', author: s.id });
  await recordAudit(d.audit, s.id, 'chat.close', conv.id, 'open', 'closed');
  await d.notifier.refreshHeader(conv);
  return ok(closed ?? conv);
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
