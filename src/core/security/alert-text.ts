import type { Alert } from './alerts.js';

/** The DM an alert becomes; `escalation` when it is sent again because nobody acknowledged it. */
export function alertText(alert: Alert, escalation: boolean): string {
  const evidence = Object.entries(alert.evidence).map(([k, v]) => `${k}: ${v}`).join(' · ');
  return [
    `${escalation ? '⏰ Not acknowledged yet — ' : ''}🚨 *${alert.severity.toUpperCase()}* ${alert.summary}`,
    `Rule: ${alert.rule} · subject: ${alert.subject}`,
    ...(evidence ? [`Evidence: ${evidence}`] : []),
    ...(alert.suppressedBefore ? [`(${alert.suppressedBefore} more like this were counted during the quiet period before this alert)`] : []),
    `Alert ${alert.id}: press Acknowledge, or type /alerts ack ${alert.id}`,
  ].join('\n');
}
