import type { Role, Seat } from '../model.js';
import type { Seats } from '../seats.js';

/** Every role a seat can hold (SPEC §6). */
export const ROLES: readonly Role[] = ['admin', 'supervisor', 'lead', 'agent', 'security'];

/** The parts of a seat an audit entry shows. */
export function auditView(s: Seat): Pick<Seat, 'roles' | 'departments' | 'queues' | 'maxChats' | 'enabled'> {
  return { roles: s.roles, departments: s.departments, queues: s.queues, maxChats: s.maxChats, enabled: s.enabled };
}

/** Whether `target` is the last enabled admin: a desk always keeps one. */
export async function isLastAdmin(seats: Pick<Seats, 'list'>, target: Seat): Promise<boolean> {
  const admins = (await seats.list()).filter((s) => s.enabled && s.roles.includes('admin'));
  return admins.length <= 1 && admins.some((s) => s.id === target.id);
}
