import type { Clock, StorePort } from '../ports.js';
import type { Seat } from '../model.js';
import type { AuditLog } from '../audit-log.js';
import type { Seats } from '../seats.js';
import { can } from '../permissions.js';
import { fail, ok, type Result } from '../result.js';
import type { Finding } from './rules/types.js';

export interface Alert {
  id: string;
  rule: string;
  subject: string;
  severity: Finding['severity'];
  summary: string;
  evidence: Finding['evidence'];
  at: number;
  /** Same rule and subject seen again during the quiet period before this alert. */
  suppressedBefore: number;
  acknowledgedBy?: string;
  acknowledgedAt?: number;
  escalatedAt?: number;
}

export interface AlertSettings {
  /** The same rule and subject is not re-sent within this time, only counted. */
  quietMs: number;
  /** Not acknowledged within this time: admins are told too. */
  ackTimeoutMs: number;
}

/** Sends an alert to one seat (a DM with an Acknowledge button), through the outbox. */
export type AlertNotifier = (seat: Seat, alert: Alert, escalation: boolean) => Promise<void>;

const OPEN = 'alerts:open';

/**
 * Alerts (SPEC §9): raised from findings, sent as DMs to every enabled seat
 * that receives alerts, de-duplicated per rule and subject within a quiet
 * period (repeats are counted and shown on the next alert), escalated to
 * admins when nobody acknowledges in time; every step audited.
 */
export class Alerts {
  constructor(
    private readonly store: StorePort,
    private readonly clock: Clock,
    private readonly seats: Seats,
    private readonly audit: AuditLog,
    private readonly notify: AlertNotifier,
    private readonly settings: AlertSettings,
    private readonly newId: () => string,
  ) {}

  /** Raises an alert for a finding, unless the same rule and subject alerted within the quiet period. */
  async raise(finding: Finding): Promise<Alert | undefined> {
    const quietKey = `alert-quiet:${finding.rule}:${finding.subject}`;
    const countKey = `alert-suppressed:${finding.rule}:${finding.subject}`;
    const id = this.newId();
    if (!(await this.store.setIfAbsent(quietKey, id, this.settings.quietMs))) {
      const n = Number((await this.store.getString(countKey)) ?? '0') + 1;
      await this.store.setString(countKey, String(n), this.settings.quietMs * 10);
      await this.audit.append({ actor: 'threaddesk', action: 'alert.suppressed', target: finding.subject, detail: `${finding.rule} (repeat ${n} within the quiet period)` });
      return undefined;
    }
    const suppressedBefore = Number((await this.store.getString(countKey)) ?? '0');
    if (suppressedBefore) await this.store.deleteString(countKey);
    const alert: Alert = { id, rule: finding.rule, subject: finding.subject, severity: finding.severity, summary: finding.summary, evidence: finding.evidence, at: this.clock.now(), suppressedBefore };
    await this.store.set(`alert:${id}`, alert);
    await this.store.addMember(OPEN, id);
    await this.audit.append({ actor: 'threaddesk', action: 'alert.raise', target: finding.subject, after: alert, detail: finding.rule });
    for (const seat of await this.receivers()) await this.notify(seat, alert, false);
    return alert;
  }

  async get(id: string): Promise<Alert | undefined> {
    return this.store.get<Alert>(`alert:${id}`);
  }

  async open(): Promise<Alert[]> {
    const ids = await this.store.members(OPEN);
    return (await this.store.getMany<Alert>(ids.map((id) => `alert:${id}`))).filter((a): a is Alert => Boolean(a)).sort((a, b) => a.at - b.at);
  }

  /** Acknowledge (button or `/alerts ack <id>`): security staff only; recorded and audited. */
  async acknowledge(id: string, seat: Seat | undefined): Promise<Result<Alert>> {
    if (!seat) return fail('not_a_seat');
    if (!seat.enabled) return fail('seat_disabled');
    if (!can(seat, 'alerts.receive')) return fail('permission_denied', { action: 'acknowledge alerts' });
    const alert = await this.get(id);
    if (!alert) return fail('bad_arguments', { usage: 'usage.alert_unknown', id });
    if (alert.acknowledgedBy) return ok(alert);
    const done: Alert = { ...alert, acknowledgedBy: seat.id, acknowledgedAt: this.clock.now() };
    await this.store.set(`alert:${id}`, done);
    await this.store.removeMember(OPEN, id);
    await this.audit.append({ actor: seat.id, action: 'alert.ack', target: id, before: 'open', after: 'acknowledged', detail: alert.rule });
    return ok(done);
  }

  /** Alerts nobody acknowledged in time go to the admins too (once). Run on a timer. */
  async escalateOverdue(): Promise<number> {
    const now = this.clock.now();
    let n = 0;
    for (const alert of await this.open()) {
      if (alert.escalatedAt || now - alert.at < this.settings.ackTimeoutMs) continue;
      // Only one replica escalates each alert.
      if (!(await this.store.setIfAbsent(`alert-escalated:${alert.id}`, '1', 30 * 24 * 3600_000))) continue;
      const escalated: Alert = { ...alert, escalatedAt: now };
      await this.store.set(`alert:${alert.id}`, escalated);
      const admins = (await this.seats.list()).filter((s) => s.enabled && s.roles.includes('admin'));
      for (const admin of admins) await this.notify(admin, escalated, true);
      await this.audit.append({ actor: 'threaddesk', action: 'alert.escalate', target: alert.id, detail: `not acknowledged within ${Math.round(this.settings.ackTimeoutMs / 60_000)} min` });
      n += 1;
    }
    return n;
  }

  private async receivers(): Promise<Seat[]> {
    return (await this.seats.list()).filter((s) => can(s, 'alerts.receive') && s.roles.includes('security'));
  }
}
