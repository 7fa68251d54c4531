import { burstRule } from './burst-rule.js';

/**
 * `thresholds.failedLogins.count` or more failed logins of one account within
 * `windowMs`, this one included (default 5 in 10 minutes). A successful login
 * in between does not reset the count.
 */
export const failedLoginBurst = burstRule({
  rule: 'failed-login-burst',
  threshold: 'failedLogins',
  countAs: 'failures',
  matches: (e) => e.type === 'login.failure',
  summary: (events, event, span) => {
    const ips = new Set(events.flatMap((e) => (e.ip === undefined ? [] : [e.ip])));
    return `${events.length} failed logins for ${event.actor} within ${span}${ips.size > 1 ? `, from ${ips.size} IP addresses` : ''}.`;
  },
  evidence: (events, event) => ({
    ...(event.ip === undefined ? {} : { lastIp: event.ip }),
    distinctIps: new Set(events.flatMap((e) => (e.ip === undefined ? [] : [e.ip]))).size,
  }),
});
