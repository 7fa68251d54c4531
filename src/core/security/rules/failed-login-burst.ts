import { describeSpan, eventsInWindow, firstAtIso } from './earlier-events.js';
import type { Rule, SecurityEvent } from './types.js';

const isFailure = (e: SecurityEvent) => e.type === 'login.failure';

/**
 * `thresholds.failedLogins.count` or more failed logins of one account within
 * `windowMs`, this one included (default 5 in 10 minutes). Fires at the
 * count-th failure and again on every later one while the burst lasts; the
 * alert pipeline folds the repeats into one alert per quiet period. A
 * successful login in between does not reset the count.
 */
export const failedLoginBurst: Rule = (input) => {
  const { event, thresholds } = input;
  if (!isFailure(event)) return undefined;
  const { count: limit, windowMs } = thresholds.failedLogins;
  const failures = eventsInWindow(input, windowMs, isFailure);
  if (failures.length < limit) return undefined;
  const ips = new Set(failures.flatMap((e) => (e.ip === undefined ? [] : [e.ip])));
  return {
    rule: 'failed-login-burst',
    subject: event.actor,
    severity: 'medium',
    summary: `${failures.length} failed logins for ${event.actor} within ${describeSpan(windowMs)}${ips.size > 1 ? `, from ${ips.size} IP addresses` : ''}.`,
    evidence: {
      failures: failures.length,
      threshold: `${limit} in ${describeSpan(windowMs)}`,
      firstAt: firstAtIso(failures),
      lastAt: new Date(event.at).toISOString(),
      ...(event.ip === undefined ? {} : { lastIp: event.ip }),
      distinctIps: ips.size,
    },
  };
};
