import type { Conversation, Role, Seat } from '../model.js';
import type { Conversations } from '../conversations.js';
import type { Seats } from '../seats.js';
import { can } from '../permissions.js';
import { fail, ok, type Result } from '../result.js';
import { recordAudit, type AuditWriter } from '../record-audit.js';
import { auditView, isLastAdmin } from './roles.js';

/** One step of offboarding, reported back to whoever ran it. */
export type OffboardStep =
  | { kind: 'handed_over'; convId: string; to: string }
  | { kind: 'released'; convId: string }
  | { kind: 'roles_revoked'; roles: Role[] }
  | { kind: 'disabled' };

/** What offboarding needs: chats are handed over through the transfer and release use cases. */
export interface OffboardPorts {
  readonly seats: Pick<Seats, 'chatsOf' | 'forgetChat' | 'update' | 'list'>;
  readonly conversations: Pick<Conversations, 'get' | 'claimer'>;
  readonly auditLog: AuditWriter;
  transfer(conv: Conversation, seat: Seat | undefined, to: Seat | undefined, reason: string): Promise<Result<unknown>>;
  release(conv: Conversation, seat: Seat | undefined): Promise<Result<unknown>>;
}

/**
 * `/seat disable @user [to @seat]`: hands over every open chat (to the
 * named seat when it can take it, else back to the queue), revokes the
 * roles, disables the seat. History stays. Each chat's thread is told by
 * the caller, from the steps (words are made where the reader is known).
 */
export async function offboard(d: OffboardPorts, actor: Seat | undefined, target: Seat | undefined, handoverTo?: Seat): Promise<Result<OffboardStep[]>> {
  if (!can(actor, 'seat.manage') || !can(actor, 'role.grant')) return fail('permission_denied', { action: 'offboard seats' });
  if (!target) return fail('unknown_seat');
  if (target.roles.includes('admin') && (await isLastAdmin(d.seats, target))) return fail('last_admin');
  const steps: OffboardStep[] = [];
  for (const convId of await d.seats.chatsOf(target.id)) {
    const conv = await d.conversations.get(convId);
    const holder = conv ? await d.conversations.claimer(convId) : undefined;
    // A stale entry (the chat is gone, closed or someone else's): nothing to hand over.
    if (!conv || holder !== target.id || conv.status === 'closed') { await d.seats.forgetChat(target.id, convId); continue; }
    const handed = handoverTo && handoverTo.id !== target.id ? await d.transfer(conv, actor, handoverTo, `${target.name} was offboarded`) : undefined;
    if (handed?.ok) {
      steps.push({ kind: 'handed_over', convId, to: handoverTo!.name });
    } else {
      await d.release(conv, actor);
      steps.push({ kind: 'released', convId });
    }
  }
  const changed = await d.seats.update(target.id, (s) => ({ ...s, roles: [], enabled: false, presence: 'away' }));
  steps.push({ kind: 'roles_revoked', roles: changed?.before.roles ?? [] }, { kind: 'disabled' });
  await recordAudit(d.auditLog, actor!.id, 'seat.disable', target.id, changed ? auditView(changed.before) : undefined, changed ? auditView(changed.after) : undefined);
  return ok(steps);
}
