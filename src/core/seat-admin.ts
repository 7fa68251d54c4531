import type { Desk } from './desk.js';
import type { Platform, Presence, Role, Seat } from './model.js';
import { can } from './permissions.js';
import { fail, ok, type Result } from './result.js';
import { keys } from './keys.js';
import { ownValue } from './own-property.js';

export const ROLES: readonly Role[] = ['admin', 'supervisor', 'lead', 'agent', 'security'];

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
}

/** One step of offboarding, reported back to whoever ran it. */
export type OffboardStep =
  | { kind: 'handed_over'; convId: string; to: string }
  | { kind: 'released'; convId: string }
  | { kind: 'roles_revoked'; roles: Role[] }
  | { kind: 'disabled' };

/**
 * Seat management (SPEC §6): create → set up → grant by role → change →
 * offboard. Every rule about who may manage whom lives here; every change is
 * audited with actor, target, before and after (refusals are audited where
 * commands run, in src/handlers/run-command.ts, for every command alike).
 */
export class SeatAdmin {
  constructor(private readonly desk: Desk, private readonly templates: Readonly<Record<string, SeatTemplate>> = {}) {}

  /** Builds and checks a seat from a spec without saving it (used by add and by import). */
  async prepare(actor: Seat | undefined, spec: SeatSpec): Promise<Result<Seat>> {
    if (!can(actor, 'seat.manage')) return fail('permission_denied', { action: 'manage seats' });
    const a = actor!;
    let t: SeatTemplate = {};
    if (spec.template) {
      const found = ownValue(this.templates, spec.template);
      if (!found) return fail('bad_arguments', { usage: `template "${spec.template}" does not exist; known: ${Object.keys(this.templates).join(', ') || 'none configured'}` });
      t = found;
    }
    const roles = spec.roles ?? t.roles ?? ['agent'];
    const bad = roles.find((r) => !ROLES.includes(r));
    if (bad) return fail('unknown_role', { role: bad });
    const queues = spec.queues ?? t.queues ?? [this.desk.settings.defaultQueue];
    const unknownQueue = queues.find((q) => !ownValue(this.desk.settings.queues, q));
    if (unknownQueue) return fail('unknown_queue', { queue: unknownQueue });
    const departments = spec.departments ?? (t.department ? [t.department] : [...new Set(queues.map((q) => ownValue(this.desk.settings.queues, q)!.department))]);
    const maxChats = spec.maxChats ?? t.max ?? 10;
    if (!Number.isInteger(maxChats) || maxChats < 1 || maxChats > 500) return fail('bad_arguments', { usage: 'max=N takes a whole number from 1 to 500' });
    // Supervisors create agents, in their own departments only; anything more is an admin's.
    if (!can(a, 'role.grant')) {
      if (roles.some((r) => r !== 'agent')) return fail('permission_denied', { action: `give the ${roles.filter((r) => r !== 'agent').join(', ')} role` });
      const outside = departments.find((d) => !a.departments.includes(d));
      if (outside) return fail('outside_department', { department: outside });
    }
    const existing = await this.desk.seats.ofActor(spec);
    const now = this.desk.deps.clock.now();
    return ok({
      id: existing?.id ?? `${spec.platform}-${spec.userId}`,
      name: spec.name ?? existing?.name ?? `${spec.platform}:${spec.userId}`,
      bindings: existing?.bindings ?? [{ platform: spec.platform, userId: spec.userId }],
      roles, departments, queues, maxChats,
      presence: existing?.presence ?? 'online',
      enabled: true,
      createdAt: existing?.createdAt ?? now,
    });
  }

  /** `/seat add`: creates a seat, or re-enables and updates an existing one. */
  async add(actor: Seat | undefined, spec: SeatSpec): Promise<Result<{ seat: Seat; created: boolean }>> {
    const prepared = await this.prepare(actor, spec);
    if (!prepared.ok) return prepared;
    const before = await this.desk.seats.get(prepared.value.id);
    await this.desk.seats.save(prepared.value);
    await this.desk.audit(actor!.id, 'seat.add', prepared.value.id, before, prepared.value);
    return ok({ seat: prepared.value, created: !before });
  }

  /** Applies many prepared seats; the caller validated every row first. */
  async saveAll(actor: Seat, seats: readonly Seat[], onProgress?: (done: number) => Promise<void>): Promise<void> {
    let done = 0;
    for (const seat of seats) {
      const before = await this.desk.seats.get(seat.id);
      await this.desk.seats.save(seat);
      await this.desk.audit(actor.id, 'seat.import', seat.id, before, seat);
      done += 1;
      if (onProgress && done % 100 === 0) await onProgress(done);
    }
  }

  /** `/seat list [queue]`: supervisors see their departments' seats, admins all. */
  async list(actor: Seat | undefined, queue?: string): Promise<Result<Seat[]>> {
    if (!can(actor, 'seat.manage')) return fail('permission_denied', { action: 'list seats' });
    if (queue && !ownValue(this.desk.settings.queues, queue)) return fail('unknown_queue', { queue });
    const all = await this.desk.seats.list();
    const visible = can(actor, 'role.grant') ? all : all.filter((s) => s.departments.some((d) => actor!.departments.includes(d)));
    return ok(queue ? visible.filter((s) => s.queues.includes(queue)) : visible);
  }

  /** `/status`: an enabled seat sets its own presence. */
  async setPresence(actor: Seat | undefined, presence: Presence): Promise<Result<Seat>> {
    if (!actor) return fail('not_a_seat');
    if (!actor.enabled) return fail('seat_disabled');
    const changed = await this.desk.seats.update(actor.id, (s) => ({ ...s, presence }));
    await this.desk.audit(actor.id, 'seat.status', actor.id, changed?.before.presence, presence);
    return ok(changed?.after ?? actor);
  }

  /** `/assign @user role=… | queue=…`. */
  async assign(actor: Seat | undefined, target: Seat | undefined, grant: { role?: Role; queue?: string }): Promise<Result<Seat>> {
    return this.grantOrRevoke(actor, target, grant, 'assign');
  }

  /** `/revoke @user role=… | queue=…`; the last enabled admin keeps the admin role. */
  async revoke(actor: Seat | undefined, target: Seat | undefined, grant: { role?: Role; queue?: string }): Promise<Result<Seat>> {
    return this.grantOrRevoke(actor, target, grant, 'revoke');
  }

  private async grantOrRevoke(actor: Seat | undefined, target: Seat | undefined, grant: { role?: Role; queue?: string }, verb: 'assign' | 'revoke'): Promise<Result<Seat>> {
    const action = `seat.${verb}`;
    const what = grant.role ? `role=${grant.role}` : `queue=${grant.queue}`;
    if (!actor) return fail('not_a_seat');
    if (!actor.enabled) return fail('seat_disabled');
    if (grant.role && !ROLES.includes(grant.role)) return fail('unknown_role', { role: grant.role });
    if (grant.queue && !ownValue(this.desk.settings.queues, grant.queue)) return fail('unknown_queue', { queue: grant.queue });
    // Admins grant any role; supervisors grant queues and the agent role, in their own departments only.
    const byAdmin = can(actor, 'role.grant');
    if (!byAdmin) {
      if (!can(actor, 'queue.grant') || (grant.role && grant.role !== 'agent')) {
        return fail('permission_denied', { action: `${verb} ${what}` });
      }
      const department = grant.queue ? ownValue(this.desk.settings.queues, grant.queue)!.department : undefined;
      const outside = (department && !actor.departments.includes(department)) || (target && !target.departments.some((d) => actor.departments.includes(d)));
      if (outside) return fail('outside_department', { department: department ?? target!.departments.join(', ') });
    }
    if (!target) return fail('unknown_seat');
    if (verb === 'revoke' && grant.role === 'admin' && target.roles.includes('admin') && (await this.isLastAdmin(target))) {
      return fail('last_admin');
    }
    const changed = await this.desk.seats.update(target.id, (s) => {
      if (grant.role) {
        const roles = verb === 'assign' ? [...new Set([...s.roles, grant.role])] : s.roles.filter((r) => r !== grant.role);
        return { ...s, roles };
      }
      const q = grant.queue!;
      const queues = verb === 'assign' ? [...new Set([...s.queues, q])] : s.queues.filter((x) => x !== q);
      const dept = ownValue(this.desk.settings.queues, q)!.department;
      const departments = verb === 'assign' && !s.departments.includes(dept) ? [...s.departments, dept] : s.departments;
      return { ...s, queues, departments };
    });
    if (!changed) return fail('unknown_seat');
    await this.desk.audit(actor.id, action, target.id, pick(changed.before), pick(changed.after), 'ok', what);
    return ok(changed.after);
  }

  /**
   * `/seat disable @user [to @seat]`: hands over every open chat (to the
   * named seat when it can take it, else back to the queue), revokes the
   * roles, disables the seat. History stays.
   */
  async disable(actor: Seat | undefined, target: Seat | undefined, handoverTo?: Seat): Promise<Result<OffboardStep[]>> {
    if (!can(actor, 'seat.manage') || !can(actor, 'role.grant')) return fail('permission_denied', { action: 'offboard seats' });
    if (!target) return fail('unknown_seat');
    if (target.roles.includes('admin') && (await this.isLastAdmin(target))) return fail('last_admin');
    const steps: OffboardStep[] = [];
    const { desk } = this;
    for (const convId of await desk.seats.chatsOf(target.id)) {
      const conv = await desk.conversations.get(convId);
      const holder = conv ? await desk.conversations.claimer(convId) : undefined;
      if (!conv || holder !== target.id || conv.status === 'closed') { await desk.deps.store.removeMember(keys.seatChats(target.id), convId); continue; }
      const handed = handoverTo && handoverTo.id !== target.id ? await desk.transfer(conv, actor, handoverTo, `${target.name} was offboarded`) : undefined;
      if (handed?.ok) {
        steps.push({ kind: 'handed_over', convId, to: handoverTo!.name });
        await desk.notice(conv, `🔁 ${target.name} was offboarded; ${handoverTo!.name} has this conversation now.`);
      } else {
        await desk.release(conv, actor);
        steps.push({ kind: 'released', convId });
        await desk.notice(conv, `↩️ ${target.name} was offboarded; this conversation is back in the ${conv.queue} queue. Type \`!claim\` to take it.`);
      }
    }
    const changed = await desk.seats.update(target.id, (s) => ({ ...s, roles: [], enabled: false, presence: 'away' }));
    steps.push({ kind: 'roles_revoked', roles: changed?.before.roles ?? [] }, { kind: 'disabled' });
    await desk.audit(actor!.id, 'seat.disable', target.id, changed ? pick(changed.before) : undefined, changed ? pick(changed.after) : undefined);
    return ok(steps);
  }

  /** `/seat remove @user`: only a disabled seat; its audit history stays. */
  async remove(actor: Seat | undefined, target: Seat | undefined): Promise<Result<Seat>> {
    if (!can(actor, 'seat.manage') || !can(actor, 'role.grant')) return fail('permission_denied', { action: 'remove seats' });
    if (!target) return fail('unknown_seat');
    if (target.enabled) return fail('seat_not_disabled', { seat: target.name });
    await this.desk.seats.remove(target);
    await this.desk.audit(actor!.id, 'seat.remove', target.id, pick(target), undefined);
    return ok(target);
  }

  private async isLastAdmin(target: Seat): Promise<boolean> {
    const admins = (await this.desk.seats.list()).filter((s) => s.enabled && s.roles.includes('admin'));
    return admins.length <= 1 && admins.some((s) => s.id === target.id);
  }
}

/** The parts of a seat an audit entry shows. */
function pick(s: Seat): Pick<Seat, 'roles' | 'departments' | 'queues' | 'maxChats' | 'enabled'> {
  return { roles: s.roles, departments: s.departments, queues: s.queues, maxChats: s.maxChats, enabled: s.enabled };
}
