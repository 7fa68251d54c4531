import type { AuditEntry } from '../audit-log.js';
import type { Alerts } from './alerts.js';
import type { SecurityEvents } from './security-events.js';
import { evaluate } from './rules/index.js';
import type { ActorProfile, Finding, SecurityEvent, SecurityThresholds } from './rules/types.js';
import { ownValue } from '../own-property.js';

export interface MonitorSettings {
  thresholds: SecurityThresholds;
  defaultProfile: ActorProfile;
  /** Per-account working hours and time zone, by actor id. */
  profiles: Readonly<Record<string, ActorProfile>>;
}

export type ObserveOutcome = { status: 'accepted'; findings: Finding[] } | { status: 'duplicate' };

/**
 * Events in, alerts out: each event (from an outside system or the bot's own
 * actions) is checked once against the actor's history by every rule, then
 * added to that history.
 */
export class SecurityMonitor {
  constructor(private readonly events: SecurityEvents, private readonly alerts: Alerts, private readonly settings: MonitorSettings) {}

  async observe(event: SecurityEvent): Promise<ObserveOutcome> {
    if (!(await this.events.claimId(event.id))) return { status: 'duplicate' };
    const history = await this.events.history(event.actor);
    const profile = ownValue(this.settings.profiles, event.actor) ?? this.settings.defaultProfile;
    const findings = evaluate({ event, history, profile, thresholds: this.settings.thresholds });
    await this.events.append(event);
    for (const finding of findings) await this.alerts.raise(finding);
    return { status: 'accepted', findings };
  }
}

/**
 * The bot's own actions as security events (SPEC §9): grants, revokes and seat
 * changes, exports, refused commands. Audit entries of the alerting itself are
 * not events (no alert about alerts).
 */
export function eventFromAudit(entry: AuditEntry): SecurityEvent | undefined {
  const base = { id: `audit-${entry.seq}-${entry.hash.slice(0, 12)}`, actor: entry.actor, at: entry.at, source: 'bot' as const, details: { action: entry.action, target: entry.target ?? '' } };
  if (entry.action.startsWith('alert.')) return undefined;
  if (entry.outcome === 'denied') return { ...base, type: 'command.denied' };
  if (entry.action === 'data.export') return { ...base, type: 'data.export', rows: Number((entry.after as { rows?: number } | undefined)?.rows ?? 0) };
  if (/^seat\.(add|assign|revoke|disable|remove|import)$/.test(entry.action)) return { ...base, type: 'permission.change' };
  if (entry.action.startsWith('config.') || entry.action.startsWith('routing.')) return { ...base, type: 'config.change' };
  return undefined;
}
