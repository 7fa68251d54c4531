import type { Conversation, Seat } from '../core/model.js';
import { can, type Permission } from '../core/permissions.js';
import { fail, ok, type Result } from '../core/result.js';
import { ownValue } from '../core/own-property.js';
import type { CommandInput } from './commands/types.js';
import type { Preconditions } from './preconditions.js';

/** What the check reads: who asks, where, and the desk's queues (a `HandlerContext` is one). */
export interface PreconditionContext {
  readonly seat: Seat | undefined;
  readonly conversation: Conversation | undefined;
  readonly location: { readonly thread?: string };
  readonly desk: {
    queueOf(conv: Pick<Conversation, 'queue'>): { department: string };
    readonly settings: { readonly queues: Readonly<Record<string, { department: string }>> };
  };
}

/**
 * Checks a command's declared preconditions (see `Preconditions` for the order
 * and the codes). The first one that fails is the answer; `handleCommand`
 * words it and audits it like any refusal.
 */
export function checkPreconditions(ctx: PreconditionContext, command: string, requires: Preconditions | undefined, input: CommandInput): Result<void> {
  if (!requires) return ok(undefined);
  if (requires.conversation && !ctx.conversation) {
    return ctx.location.thread ? fail('unknown_conversation') : fail('not_in_thread', { command });
  }
  if (requires.seat && !ctx.seat) return fail('not_a_seat');
  if (requires.enabled && ctx.seat && !ctx.seat.enabled) return fail('seat_disabled');
  if (!requires.permission) return ok(undefined);
  const permissions: readonly Permission[] = typeof requires.permission === 'string' ? [requires.permission] : requires.permission;
  if (!permissions.every((p) => can(ctx.seat, p))) return fail('permission_denied', requires.action ? { action: requires.action } : undefined);
  const department = departmentOf(ctx, requires, input);
  if (!department.ok) return department;
  const scope = department.value;
  if (scope && !permissions.every((p) => can(ctx.seat, p, { department: scope }))) return fail('outside_department', { department: scope });
  return ok(undefined);
}

/** The department the permission must hold in, if any. */
function departmentOf(ctx: PreconditionContext, requires: Preconditions, input: CommandInput): Result<string | undefined> {
  const where = requires.department;
  if (!where) return ok(undefined);
  if (where === 'conversation') return ok(ctx.conversation ? ctx.desk.queueOf(ctx.conversation).department : undefined);
  const queue = where.queueIn(input);
  if (!queue) return ok(undefined);
  const route = ownValue(ctx.desk.settings.queues, queue);
  return route ? ok(route.department) : fail('unknown_queue', { queue });
}
