import type { Presence, Seat } from './model.js';
import type { Seats } from './seats.js';
import type { QueueRouter } from './queue-router.js';
import { can } from './permissions.js';
import { fail, ok, type Result } from './result.js';
import { recordAudit } from './record-audit.js';
import { auditView, ROLES } from './seat-admin/roles.js';
import { prepareSeat, type PrepareSeatPorts, type SeatSpec, type SeatTemplate } from './seat-admin/prepare-seat.js';
import { grantOrRevoke, type Grant, type GrantPorts } from './seat-admin/grant-or-revoke.js';
import { offboard, type OffboardPorts, type OffboardStep } from './seat-admin/offboard.js';

export { ROLES };
export type { Grant, OffboardStep, SeatSpec, SeatTemplate };

/** What seat management needs (the desk provides all of it). */
export interface SeatAdminPorts extends PrepareSeatPorts, GrantPorts, OffboardPorts {
  readonly seats: Pick<Seats, 'get' | 'ofActor' | 'save' | 'list' | 'update' | 'remove' | 'chatsOf' | 'forgetChat'>;
  readonly router: Pick<QueueRouter, 'find' | 'defaultQueue'>;
}

/**
 * Seat management (SPEC §6): create → set up → grant by role → change →
 * offboard. Every rule about who may manage whom lives here and in
 * seat-admin/; every change is audited with actor, target, before and after
 * (refusals are audited where commands run, in src/handlers/handle-command.ts,
 * for every command alike).
 */
export class SeatAdmin {
  constructor(private readonly ports: SeatAdminPorts, private readonly templates: Readonly<Record<string, SeatTemplate>> = {}) {}

  /** Builds and checks a seat from a spec without saving it (used by add and by import). */
  prepare(actor: Seat | undefined, spec: SeatSpec): Promise<Result<Seat>> {
    return prepareSeat(this.ports, this.templates, actor, spec);
  }

  /** `/seat add`: creates a seat, or re-enables and updates an existing one. */
  async add(actor: Seat | undefined, spec: SeatSpec): Promise<Result<{ seat: Seat; created: boolean }>> {
    const prepared = await this.prepare(actor, spec);
    if (!prepared.ok) return prepared;
    const before = await this.ports.seats.get(prepared.value.id);
    await this.ports.seats.save(prepared.value);
    await recordAudit(this.ports.auditLog, actor!.id, 'seat.add', prepared.value.id, before, prepared.value);
    return ok({ seat: prepared.value, created: !before });
  }

  /** Applies many prepared seats; the caller validated every row first. */
  async saveAll(actor: Seat, seats: readonly Seat[], onProgress?: (done: number) => Promise<void>): Promise<void> {
    let done = 0;
    for (const seat of seats) {
      const before = await this.ports.seats.get(seat.id);
      await this.ports.seats.save(seat);
      await recordAudit(this.ports.auditLog, actor.id, 'seat.import', seat.id, before, seat);
      done += 1;
      if (onProgress && done % 100 === 0) await onProgress(done);
    }
  }

  /** `/seat list [queue]`: supervisors see their departments' seats, admins all. */
  async list(actor: Seat | undefined, queue?: string): Promise<Result<Seat[]>> {
    if (!can(actor, 'seat.manage')) return fail('permission_denied', { action: 'list seats' });
    if (queue && !this.ports.router.find(queue)) return fail('unknown_queue', { queue });
    const all = await this.ports.seats.list();
    const visible = can(actor, 'role.grant') ? all : all.filter((s) => s.departments.some((d) => actor!.departments.includes(d)));
    return ok(queue ? visible.filter((s) => s.queues.includes(queue)) : visible);
  }

  /** `/status`: an enabled seat sets its own presence. */
  setPresence(actor: Seat | undefined, presence: Presence): Promise<Result<Seat>> {
    return this.setOwn(actor, 'presence', presence, 'seat.status');
  }

  /** `/lang`: an enabled seat sets its own language (a tag the caller checked). */
  setLanguage(actor: Seat | undefined, lang: string): Promise<Result<Seat>> {
    return this.setOwn(actor, 'lang', lang, 'seat.lang');
  }

  /** An enabled seat changes one of its own settings, audited with the old and new value. */
  private async setOwn<K extends 'presence' | 'lang'>(actor: Seat | undefined, field: K, value: Seat[K], action: 'seat.status' | 'seat.lang'): Promise<Result<Seat>> {
    if (!actor) return fail('not_a_seat');
    if (!actor.enabled) return fail('seat_disabled');
    const changed = await this.ports.seats.update(actor.id, (s) => ({ ...s, [field]: value }));
    await recordAudit(this.ports.auditLog, actor.id, action, actor.id, changed?.before[field], value);
    return ok(changed?.after ?? actor);
  }

  /** `/assign @user role=… | queue=…`. */
  assign(actor: Seat | undefined, target: Seat | undefined, grant: Grant): Promise<Result<Seat>> {
    return grantOrRevoke(this.ports, actor, target, grant, 'assign');
  }

  /** `/revoke @user role=… | queue=…`; the last enabled admin keeps the admin role. */
  revoke(actor: Seat | undefined, target: Seat | undefined, grant: Grant): Promise<Result<Seat>> {
    return grantOrRevoke(this.ports, actor, target, grant, 'revoke');
  }

  /** `/seat disable @user [to @seat]` (see seat-admin/offboard.ts). */
  disable(actor: Seat | undefined, target: Seat | undefined, handoverTo?: Seat): Promise<Result<OffboardStep[]>> {
    return offboard(this.ports, actor, target, handoverTo);
  }

  /** `/seat remove @user`: only a disabled seat; its audit history stays. */
  async remove(actor: Seat | undefined, target: Seat | undefined): Promise<Result<Seat>> {
    if (!can(actor, 'seat.manage') || !can(actor, 'role.grant')) return fail('permission_denied', { action: 'remove seats' });
    if (!target) return fail('unknown_seat');
    if (target.enabled) return fail('seat_not_disabled', { seat: target.name });
    await this.ports.seats.remove(target);
    await recordAudit(this.ports.auditLog, actor!.id, 'seat.remove', target.id, auditView(target), undefined);
    return ok(target);
  }
}
