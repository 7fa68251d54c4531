import { burstRule } from './burst-rule.js';

/**
 * `thresholds.denialBurst.count` or more refused commands of one actor within
 * `windowMs`, this one included (default 3 in 10 minutes): someone probing
 * what they may not do.
 */
export const denialBurst = burstRule({
  rule: 'denial-burst',
  threshold: 'denialBurst',
  countAs: 'denials',
  matches: (e) => e.type === 'command.denied',
  summary: (events, event, span) => `${event.actor} was refused ${events.length} commands within ${span}.`,
  evidence: (_events, event): Record<string, string> => {
    const action = event.details?.['action'];
    return typeof action === 'string' ? { lastAction: action } : {};
  },
});
