import { burstRule } from './burst-rule.js';

/**
 * `thresholds.changeBurst.count` or more config and permission changes (the
 * two counted together) by one actor within `windowMs`, this one included
 * (default 10 in 10 minutes).
 */
export const changeBurst = burstRule({
  rule: 'change-burst',
  threshold: 'changeBurst',
  countAs: 'changes',
  matches: (e) => e.type === 'config.change' || e.type === 'permission.change',
  summary: (events, event, span) => `${event.actor} made ${events.length} config or permission changes within ${span}.`,
  evidence: (events) => {
    const permissionChanges = events.filter((e) => e.type === 'permission.change').length;
    return { configChanges: events.length - permissionChanges, permissionChanges };
  },
});
