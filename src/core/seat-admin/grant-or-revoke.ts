import type { Role, Seat } from '../model.js';
import type { Seats } from '../seats.js';
import type { QueueRouter } from '../queue-router.js';
import { can } from '../permissions.js';
import { fail, ok, type Result } from '../result.js';
import { recordAudit, type AuditWriter } from '../record-audit.js';
import { auditView, isLastAdmin, ROLES } from './roles.js';

/** A role or a queue to give or take away. */
export interface Grant { role?: Role; queue?: string }

/** What granting and revoking need. */
export interface GrantPorts {
  readonly seats: Pick<Seats, 'update' | 'list'>;
  readonly router: Pick<QueueRouter, 'find'>;
  readonly auditLog: AuditWriter;
}

/**
 * `/assign` and `/revoke` of a role or a queue. Admins grant any role;
 * supervisors grant queues and the agent role, in their own departments
 * only; the last enabled admin keeps the admin role.
 */
export async function grantOrRevoke(d: GrantPorts, actor: Seat | undefined, target: Seat | undefined, grant: Grant, verb: 'assign' | 'revoke'): Promise<Result<Seat>> {
  const action = `seat.${verb}`;
  const what = grant.role ? `role=${grant.role}` : `queue=${grant.queue}`;
  if (!actor) return fail('not_a_seat');
  if (!actor.enabled) return fail('seat_disabled');
  if (grant.role && !ROLES.includes(grant.role)) return fail('unknown_role', { role: grant.role });
  if (grant.queue && !d.router.find(grant.queue)) return fail('unknown_queue', { queue: grant.queue });
  if (!can(actor, 'role.grant')) {
    if (!can(actor, 'queue.grant') || (grant.role && grant.role !== 'agent')) {
      return fail('permission_denied', { action: `action.${verb}_grant`, what });
    }
    const department = grant.queue ? d.router.find(grant.queue)!.department : undefined;
    const outside = (department && !actor.departments.includes(department)) || (target && !target.departments.some((dep) => actor.departments.includes(dep)));
    if (outside) return fail('outside_department', { department: department ?? target!.departments.join(', ') });
  }
  if (!target) return fail('unknown_seat');
  if (verb === 'revoke' && grant.role === 'admin' && target.roles.includes('admin') && (await isLastAdmin(d.seats, target))) {
    return fail('last_admin');
  }
  const changed = await d.seats.update(target.id, (s) => {
    if (grant.role) {
      const roles = verb === 'assign' ? [...new Set([...s.roles, grant.role])] : s.roles.filter((r) => r !== grant.role);
      return { ...s, roles };
    }
    const q = grant.queue!;
    const queues = verb === 'assign' ? [...new Set([...s.queues, q])] : s.queues.filter((x) => x !== q);
    const dept = d.router.find(q)!.department;
    const departments = verb === 'assign' && !s.departments.includes(dept) ? [...s.departments, dept] : s.departments;
    return { ...s, queues, departments };
  });
  if (!changed) return fail('unknown_seat');
  await recordAudit(d.auditLog, actor.id, action, target.id, auditView(changed.before), auditView(changed.after), 'ok', what);
  return ok(changed.after);
}
