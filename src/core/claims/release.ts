import type { Conversation, Seat } from '../model.js';
import type { StorePort } from '../ports.js';
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

/** What releasing a claim needs. */
export interface ReleasePorts extends SeatLoadPorts {
  /** Compare-and-delete on the claim lease; the holder's held chats and load-index entries (seat-load.ts). */
  store: SeatLoadPorts['store'] & Pick<StorePort, 'compareAndDelete'>;
  conversations: Pick<Conversations, 'claimer'>;
  seats: Pick<Seats, 'get'>;
  audit: AuditWriter;
  notifier: Pick<Notifier, 'refreshHeader'>;
  departmentOf: (conv: Conversation) => string;
}

/** Release: by the claimer, or by a supervisor+ for someone else's chat. The previous holder's name comes back. */
export async function release(d: ReleasePorts, conv: Conversation, seat: Seat | undefined): Promise<Result<{ previous: string }>> {
  const denied = checkSeat(seat, 'chat.claim', 'release', () => d.departmentOf(conv));
  if (denied) return denied;
  const s = seat!;
  const holder = await d.conversations.claimer(conv.id);
  if (!holder) return fail('not_claimed');
  if (holder !== s.id && !can(s, 'chat.transfer.any', { department: d.departmentOf(conv) })) {
    return fail('not_claimer', { holder: await nameOf(d.seats, holder) });
  }
  // Only the lease this seat saw: a concurrent release or transfer wins, and this one says so.
  if (!(await d.store.compareAndDelete(keys.claim(conv.id), holder))) return fail('not_claimed');
  await refreshSeatLoad(d, holder, { drop: conv.id });
  await recordAudit(d.audit, s.id, 'chat.release', conv.id, holder, undefined);
  await d.notifier.refreshHeader(conv);
  return ok({ previous: await nameOf(d.seats, holder) });
}
