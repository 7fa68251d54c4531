import type { Conversation, Seat } from '../model.js';
import type { StorePort } from '../ports.js';
import type { Conversations } from '../conversations.js';
import type { Seats } from '../seats.js';
import type { Notifier } from '../notifier.js';
import { keys } from '../keys.js';
import { fail, ok, type Result } from '../result.js';
import { recordAudit, type AuditWriter } from '../record-audit.js';
import { nameOf } from '../seat-name.js';
import { checkSeat } from './check-seat.js';

/** What claiming needs. */
export interface ClaimPorts {
  /** The claim lease (set-if-absent) and the seat's set of held chats. */
  store: Pick<StorePort, 'setIfAbsent' | 'addMember'>;
  conversations: Pick<Conversations, 'claimer'>;
  seats: Pick<Seats, 'get'>;
  audit: AuditWriter;
  notifier: Pick<Notifier, 'refreshHeader'>;
  departmentOf: (conv: Conversation) => string;
}

/** Claim: of any number of simultaneous claimers, on any replica, exactly one wins (set-if-absent on the lease). */
export async function claim(d: ClaimPorts, conv: Conversation, seat: Seat | undefined): Promise<Result<Conversation>> {
  const denied = checkSeat(seat, 'chat.claim', 'claim', () => d.departmentOf(conv));
  if (denied) return denied;
  const s = seat!;
  if (conv.status === 'closed') return fail('conversation_closed');
  const won = await d.store.setIfAbsent(keys.claim(conv.id), s.id);
  if (!won) {
    const holder = await d.conversations.claimer(conv.id);
    if (holder === s.id) return fail('already_yours');
    return fail('already_claimed', { holder: await nameOf(d.seats, holder) });
  }
  await d.store.addMember(keys.seatChats(s.id), conv.id);
  await recordAudit(d.audit, s.id, 'chat.claim', conv.id, undefined, s.id);
  await d.notifier.refreshHeader(conv);
  return ok(conv);
}
