import type { Conversation, Seat } from './model.js';
import type { Clock } from './ports.js';
import type { Conversations } from './conversations.js';
import { can } from './permissions.js';
import { fail, ok, type Result } from './result.js';
import { recordAudit, type AuditWriter } from './record-audit.js';

/** What escalating needs. */
export interface EscalatePorts {
  clock: Clock;
  conversations: Pick<Conversations, 'update' | 'appendTranscript'>;
  audit: AuditWriter;
  departmentOf: (conv: Conversation) => string;
}

/**
 * Calls in at most two colleagues (SPEC §5): recorded on the conversation
 * and in the audit log; the caller sends each a DM.
 */
export async function escalate(d: EscalatePorts, conv: Conversation, seat: Seat | undefined, to: Seat[], reason: string): Promise<Result<Seat[]>> {
  if (!seat) return fail('not_a_seat');
  if (!seat.enabled) return fail('seat_disabled');
  if (!can(seat, 'chat.reply', { department: d.departmentOf(conv) })) {
    return fail('permission_denied', { action: 'escalate' });
  }
  if (to.length > 2) return fail('too_many_mentions', { count: to.length });
  if (!to.length) return fail('bad_arguments', { usage: 'usage.escalate_who' });
  const at = d.clock.now();
  await d.conversations.update(conv.id, (c) => ({ ...c, escalations: [...(c.escalations ?? []), { by: seat.id, to: to.map((t) => t.id), reason, at }] }));
  await d.conversations.appendTranscript(conv.id, { at, direction: 'event', text: `escalated to ${to.map((t) => t.name).join(' and ')}${reason ? `: ${reason}` : ''}`, author: seat.id });
  await recordAudit(d.audit, seat.id, 'chat.escalate', conv.id, undefined, to.map((t) => t.id), 'ok', reason);
  return ok(to);
}
