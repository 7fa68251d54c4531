import type { Conversation, Seat } from '../model.js';
import type { Conversations } from '../conversations.js';
import type { Seats } from '../seats.js';
import type { Notifier } from '../notifier.js';
import { can } from '../permissions.js';
import { fail, ok, type Result } from '../result.js';
import { recordAudit, type AuditWriter } from '../record-audit.js';
import { nameOf } from '../seat-name.js';
import { checkSeat } from './check-seat.js';
import { takeChat, type TakePorts } from '../assignment/take-chat.js';

/** What handing a chat to another seat needs. */
export interface TransferPorts extends TakePorts {
  conversations: Pick<Conversations, 'claimer' | 'appendTranscript'>;
  seats: Pick<Seats, 'get'>;
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
  if (!to.enabled || !can(to, 'chat.claim', { department })) {
    const why = !to.enabled ? 'their seat is disabled' : `they have no access to the ${conv.queue} queue`;
    return fail('receiver_unavailable', { seat: to.name, why });
  }
  // The receiver's room is checked under its lock, with the move: two transfers at once cannot both fill its last place.
  const took = await takeChat(d, conv, to, holder !== undefined ? { from: holder } : {});
  if (!took.ok) {
    if (took.reason === 'full') return fail('receiver_unavailable', { seat: to.name, why: `they already hold ${to.maxChats} chats, their maximum` });
    return fail('already_claimed', { holder: await nameOf(d.seats, await d.conversations.claimer(conv.id)) });
  }
  if (d.stats) await d.stats.store.writeAtomically(d.stats.recorder.transferred(conv.queue, holder, d.clock.now()));
  await d.conversations.appendTranscript(conv.id, { at: d.clock.now(), direction: 'event', text: `transferred to ${to.name}${reason ? `: ${reason}` : ''}`, author: s.id });
  await recordAudit(d.audit, s.id, 'chat.transfer', conv.id, holder, to.id, 'ok', reason);
  await d.notifier.refreshHeader(conv);
  return ok({ from: holder });
}
