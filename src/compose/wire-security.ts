import type { Config } from '../config/config.js';
import type { Desk } from '../core/desk.js';
import type { Clock, StorePort } from '../core/ports.js';
import { Alerts } from '../core/security/alerts.js';
import { SecurityEvents } from '../core/security/security-events.js';
import { SecurityMonitor, eventFromAudit } from '../core/security/security-monitor.js';
import { alertActions, alertText } from '../handlers/alert-text.js';
import { readerLanguage } from '../i18n/choose-language.js';
import { randomHex } from '../runtime/random-hex.js';
import type { Logger } from '../runtime/logger.js';

/**
 * Security alerts (SPEC §9): DMs with an Acknowledge button to every security
 * seat, the monitor fed by the bot's own audit entries, and the escalation of
 * alerts nobody acknowledged. `stop` clears its interval.
 */
export function wireSecurity(config: Config, desk: Desk, store: StorePort, clock: Clock, log: Logger): { alerts: Alerts; monitor: SecurityMonitor; stop(): void } {
  const alerts = new Alerts(store, clock, desk.seats, desk.auditLog, (seat, alert, escalation) => desk.dmSeat(seat, alertText(alert, escalation, readerLanguage(desk.settings, seat)), undefined, undefined,
    alertActions(alert, readerLanguage(desk.settings, seat)),
  ), { quietMs: config.security.quietMs, ackTimeoutMs: config.security.ackTimeoutMs }, () => randomHex(4));
  const monitor = new SecurityMonitor(new SecurityEvents(store), alerts, { thresholds: config.security.thresholds, defaultProfile: config.security.defaultProfile, profiles: config.security.profiles });
  // The bot's own actions (grants, seat changes, exports, refusals) are security events too.
  desk.auditLog.onAppend(async (entry) => {
    const event = eventFromAudit(entry);
    if (event) await monitor.observe(event).catch((err: unknown) => log.error({ err: String(err) }, 'security monitor failed on an audit entry'));
  });
  const escalationTimer = setInterval(() => void alerts.escalateOverdue().catch((err: unknown) => log.warn({ err: String(err) }, 'alert escalation check failed')), 30_000);
  escalationTimer.unref();
  return { alerts, monitor, stop: () => clearInterval(escalationTimer) };
}
