import { describeSpan, eventsInWindow, firstAtIso } from './earlier-events.js';
import type { Rule, SecurityEvent } from './types.js';

const isChange = (e: SecurityEvent) => e.type === 'config.change' || e.type === 'permission.change';

/**
 * `thresholds.changeBurst.count` or more config and permission changes (the
 * two counted together) by one actor within `windowMs`, this one included
 * (default 10 in 10 minutes). Fires at the count-th change and on later ones.
 */
export const changeBurst: Rule = (input) => {
  const { event, thresholds } = input;
  if (!isChange(event)) return undefined;
  const { count: limit, windowMs } = thresholds.changeBurst;
  const changes = eventsInWindow(input, windowMs, isChange);
  if (changes.length < limit) return undefined;
  const permissionChanges = changes.filter((e) => e.type === 'permission.change').length;
  return {
    rule: 'change-burst',
    subject: event.actor,
    severity: 'medium',
    summary: `${event.actor} made ${changes.length} config or permission changes within ${describeSpan(windowMs)}.`,
    evidence: {
      changes: changes.length,
      configChanges: changes.length - permissionChanges,
      permissionChanges,
      threshold: `${limit} in ${describeSpan(windowMs)}`,
      firstAt: firstAtIso(changes),
      lastAt: new Date(event.at).toISOString(),
    },
  };
};
