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

/** What claiming needs. */
export interface ClaimPorts extends TakePorts {
  conversations: Pick<Conversations, 'claimer'>;
  seats: Pick<Seats, 'get'>;
  audit: AuditWriter;
  notifier: Pick<Notifier, 'refreshHeader'>;
  departmentOf: (conv: Conversation) => string;
}

/**
 * Claim: of any number of simultaneous claimers, on any replica, exactly one
 * wins (set-if-absent on the lease), and only within the seat's `max`
 * (SPEC §7: enforced on every claim). A supervisor may go beyond it with
 * `force` (`!claim force`), audited as such.
 */
export async function claim(d: ClaimPorts, conv: Conversation, seat: Seat | undefined, opts: { force?: boolean } = {}): Promise<Result<Conversation>> {
  const denied = checkSeat(seat, 'chat.claim', 'claim', () => d.departmentOf(conv));
  if (denied) return denied;
  const s = seat!;
  if (conv.status === 'closed') return fail('conversation_closed');
  if (opts.force && !can(s, 'chat.transfer.any', { department: d.departmentOf(conv) })) {
    return fail('permission_denied', { action: 'claim beyond your maximum' });
  }
  const took = await takeChat(d, conv, s, { force: opts.force === true });
  if (!took.ok) {
    if (took.reason === 'full') return fail('seat_full', { max: s.maxChats, held: took.held });
    const holder = await d.conversations.claimer(conv.id);
    if (holder === s.id) return fail('already_yours');
    return fail('already_claimed', { holder: await nameOf(d.seats, holder) });
  }
  await recordAudit(d.audit, s.id, 'chat.claim', conv.id, undefined, s.id, 'ok', opts.force ? 'force' : undefined);
  await d.notifier.refreshHeader(conv);
  return ok(conv);
}
