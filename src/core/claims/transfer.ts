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
import { hasRoom } from './has-room.js';

/** What handing a chat to another seat needs. */
export interface TransferPorts {
  /** The claim lease (compare-and-set, or set-if-absent when unclaimed) and both seats' sets of held chats. */
  store: Pick<StorePort, 'compareAndSet' | 'setIfAbsent' | 'addMember' | 'removeMember'>;
  clock: Clock;
  conversations: Pick<Conversations, 'claimer' | 'appendTranscript'>;
  seats: Pick<Seats, 'get' | 'chatsOf'>;
  audit: AuditWriter;
  notifier: Pick<Notifier, 'refreshHeader'>;
  departmentOf: (conv: Conversation) => string;
}

/**
 * Hands a chat to another seat (SPEC §6 `/transfer`): by its claimer, or by a
 * supervisor+ of its department. The receiver must be an enabled seat with
 * access to the queue and room under its maximum. Atomic against a
 * concurrent claim or transfer (compare-and-set on the claim lease).
 */
export async function transfer(d: TransferPorts, conv: Conversation, seat: Seat | undefined, to: Seat | undefined, reason: string): Promise<Result<{ from: string | undefined }>> {
  const denied = checkSeat(seat, 'chat.claim', 'transfer', () => d.departmentOf(conv));
  if (denied) return denied;
  const s = seat!;
  if (conv.status === 'closed') return fail('conversation_closed');
  const department = d.departmentOf(conv);
  const holder = await d.conversations.claimer(conv.id);
  if (holder !== s.id && !can(s, 'chat.transfer.any', { department })) {
    return holder ? fail('not_claimer', { holder: await nameOf(d.seats, holder) }) : fail('permission_denied', { action: 'transfer chats you do not hold' });
  }
  if (!to) return fail('unknown_seat');
  if (to.id === holder) return fail('already_claimed', { holder: to.name });
  const room = await hasRoom(d.seats, to);
  if (!to.enabled || !can(to, 'chat.claim', { department }) || !room) {
    const why = !to.enabled ? 'their seat is disabled' : !room ? `they already hold ${to.maxChats} chats, their maximum` : `they have no access to the ${conv.queue} queue`;
    return fail('receiver_unavailable', { seat: to.name, why });
  }
  const moved = holder
    ? await d.store.compareAndSet(keys.claim(conv.id), holder, to.id)
    : await d.store.setIfAbsent(keys.claim(conv.id), to.id);
  if (!moved) return fail('already_claimed', { holder: await nameOf(d.seats, await d.conversations.claimer(conv.id)) });
  if (holder) await d.store.removeMember(keys.seatChats(holder), conv.id);
  await d.store.addMember(keys.seatChats(to.id), conv.id);
  await d.conversations.appendTranscript(conv.id, { at: d.clock.now(), direction: 'event', text: `transferred to ${to.name}${reason ? `: ${reason}` : ''}`, author: s.id });
  await recordAudit(d.audit, s.id, 'chat.transfer', conv.id, holder, to.id, 'ok', reason);
  await d.notifier.refreshHeader(conv);
  return ok({ from: holder });
}
