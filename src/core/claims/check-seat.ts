import type { Seat } from '../model.js';
import { can, type Permission } from '../permissions.js';
import { fail, type Result } from '../result.js';

/**
 * The domain's own guard for a use case on a conversation: a seat, enabled,
 * allowed, in the conversation's department. Kept here as well as in the
 * command preconditions because buttons and thread messages reach the use
 * cases too. Refusals are audited by the handlers. `undefined` means go on.
 * The department is asked for last, as only a seat that passed the rest needs it.
 */
export function checkSeat(seat: Seat | undefined, permission: Permission, action: string, departmentOf: () => string): Result<never> | undefined {
  if (!seat) return fail('not_a_seat');
  if (!seat.enabled) return fail('seat_disabled');
  if (!can(seat, permission)) return fail('permission_denied', { action });
  const department = departmentOf();
  if (!can(seat, permission, { department })) return fail('outside_department', { department });
  return undefined;
}
