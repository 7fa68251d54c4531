import type { Platform, Role, Seat } from '../model.js';
import type { Clock } from '../ports.js';
import type { Seats } from '../seats.js';
import type { QueueRouter } from '../queue-router.js';
import { can } from '../permissions.js';
import { fail, ok, type Result } from '../result.js';
import { ownValue } from '../own-property.js';
import { ROLES } from './roles.js';

/** Named defaults a seat row can refer to (`template=night-shift`), from the config file. */
export interface SeatTemplate {
  department?: string;
  roles?: Role[];
  queues?: string[];
  max?: number;
}

/** What a new seat should be; omitted fields come from the template, then from defaults. */
export interface SeatSpec {
  platform: Platform;
  userId: string;
  name?: string;
  roles?: Role[];
  departments?: string[];
  queues?: string[];
  maxChats?: number;
  template?: string;
  /** A language tag the caller already checked (`en`, `zh-CN`). */
  lang?: string;
}

/** What preparing a seat reads. */
export interface PrepareSeatPorts {
  readonly clock: Clock;
  readonly seats: Pick<Seats, 'ofActor'>;
  readonly router: Pick<QueueRouter, 'find' | 'defaultQueue'>;
}

/** Builds and checks a seat from a spec without saving it (used by `/seat add` and by imports). */
export async function prepareSeat(d: PrepareSeatPorts, templates: Readonly<Record<string, SeatTemplate>>, actor: Seat | undefined, spec: SeatSpec): Promise<Result<Seat>> {
  if (!can(actor, 'seat.manage')) return fail('permission_denied', { action: 'manage seats' });
  const a = actor!;
  let t: SeatTemplate = {};
  if (spec.template) {
    const found = ownValue(templates, spec.template);
    // `usage` is a message key; describeFailure words it with the detail's values.
    if (!found) return fail('bad_arguments', { usage: 'usage.template_unknown', template: spec.template, known: Object.keys(templates).join(', ') || '—' });
    t = found;
  }
  const roles = spec.roles ?? t.roles ?? ['agent'];
  const bad = roles.find((r) => !ROLES.includes(r));
  if (bad) return fail('unknown_role', { role: bad });
  const queues = spec.queues ?? t.queues ?? [d.router.defaultQueue];
  const unknownQueue = queues.find((q) => !d.router.find(q));
  if (unknownQueue) return fail('unknown_queue', { queue: unknownQueue });
  const departments = spec.departments ?? (t.department ? [t.department] : [...new Set(queues.map((q) => d.router.find(q)!.department))]);
  const maxChats = spec.maxChats ?? t.max ?? 10;
  if (!Number.isInteger(maxChats) || maxChats < 1 || maxChats > 500) return fail('bad_arguments', { usage: 'usage.seat_max_range' });
  // Supervisors create agents, in their own departments only; anything more is an admin's.
  if (!can(a, 'role.grant')) {
    if (roles.some((r) => r !== 'agent')) return fail('permission_denied', { action: 'action.give_role', roles: roles.filter((r) => r !== 'agent').join(', ') });
    const outside = departments.find((dep) => !a.departments.includes(dep));
    if (outside) return fail('outside_department', { department: outside });
  }
  const existing = await d.seats.ofActor(spec);
  const now = d.clock.now();
  return ok({
    id: existing?.id ?? `${spec.platform}-${spec.userId}`,
    name: spec.name ?? existing?.name ?? `${spec.platform}:${spec.userId}`,
    bindings: existing?.bindings ?? [{ platform: spec.platform, userId: spec.userId }],
    roles, departments, queues, maxChats,
    presence: existing?.presence ?? 'online',
    enabled: true,
    createdAt: existing?.createdAt ?? now,
    ...((spec.lang ?? existing?.lang) ? { lang: spec.lang ?? existing?.lang } : {}),
  });
}
