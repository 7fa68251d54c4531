import type { Role, Seat } from './model.js';

/** Named permissions (SPEC §6). Checked only through `can`. */
export type Permission =
  | 'seat.manage'
  | 'role.grant'
  | 'queue.grant'
  | 'chat.claim'
  | 'chat.reply'
  | 'chat.transfer.any'
  | 'data.export'
  | 'routing.configure'
  | 'audit.view'
  | 'alerts.receive'
  /** `/stats` and the weekly digest (SPEC §6: supervisors, leads, admins). */
  | 'stats.view';

const ALL: readonly Permission[] = [
  'seat.manage', 'role.grant', 'queue.grant', 'chat.claim', 'chat.reply', 'chat.transfer.any',
  'data.export', 'routing.configure', 'audit.view', 'alerts.receive', 'stats.view',
];

/** What each role grants. Anything not listed is denied. */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: ALL,
  supervisor: ['seat.manage', 'queue.grant', 'chat.claim', 'chat.reply', 'chat.transfer.any', 'data.export', 'stats.view'],
  // SPEC §6: a lead sees and joins every chat of their departments (claim, reply, notes; /queue), and sees the figures.
  lead: ['chat.claim', 'chat.reply', 'stats.view'],
  agent: ['chat.claim', 'chat.reply'],
  security: ['audit.view', 'alerts.receive'],
};

/**
 * The one policy function: may `seat` do `permission`, optionally on a chat of
 * `department`? Denied by default: no seat, a disabled seat, a missing role or
 * another department all say no.
 */
export function can(seat: Seat | undefined, permission: Permission, scope?: { department?: string }): boolean {
  if (!seat || !seat.enabled) return false;
  const granted = seat.roles.some((r) => ROLE_PERMISSIONS[r]?.includes(permission));
  if (!granted) return false;
  if (scope?.department && !seat.roles.includes('admin') && !seat.departments.includes(scope.department)) return false;
  return true;
}
