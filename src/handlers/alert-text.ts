import type { Alert } from '../core/security/alerts.js';
import type { DmAction } from '../core/notifier.js';
import { en } from '../i18n/en.js';
import { t } from '../i18n/format.js';

/**
 * The DM an alert becomes, in the reading seat's language; `escalation` when
 * it is sent again because nobody acknowledged it. The rule's own sentence
 * (`summary`) and the evidence stay as the rule wrote them (English, like the
 * audit log); the rule's title and everything around them are translated.
 */
export function alertText(alert: Alert, escalation: boolean, lang: string): string {
  const evidence = Object.entries(alert.evidence).map(([k, v]) => `${k}: ${v}`).join(' · ');
  const titleKey = `alert.rule.${alert.rule}`;
  const title = Object.hasOwn(en, titleKey) ? t(lang, titleKey as 'alert.rule.unusual-hours') : alert.rule;
  return [
    t(lang, 'alert.headline', { escalation: escalation ? 'yes' : 'no', severity: t(lang, `alert.severity_${alert.severity}`), title, summary: alert.summary }),
    t(lang, 'alert.rule_line', { rule: alert.rule, subject: alert.subject }),
    ...(evidence ? [t(lang, 'alert.evidence', { evidence })] : []),
    ...(alert.suppressedBefore ? [t(lang, 'alert.suppressed', { count: alert.suppressedBefore })] : []),
    t(lang, 'alert.ack_hint', { id: alert.id }),
  ].join('\n');
}

/** The alert's Acknowledge button (messengers without buttons say the command instead). */
export function alertActions(alert: Alert, lang: string): DmAction[] {
  return [{ id: `alerts ack ${alert.id}`, label: t(lang, 'button.acknowledge'), fallback: `/alerts ack ${alert.id}` }];
}
