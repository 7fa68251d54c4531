import { describeSpan, eventsInWindow, firstAtIso } from './earlier-events.js';
import type { Finding, Rule, SecurityEvent } from './types.js';

type BurstThreshold = 'failedLogins' | 'changeBurst' | 'denialBurst';

/**
 * "Too many of these within a window" rules: the events `matches` accepts,
 * counted within the threshold's window ending with this event (this one
 * included). Fires at the count-th event and on every later one while the
 * burst lasts; the alert pipeline folds repeats into one alert per quiet period.
 */
export function burstRule(o: {
  rule: string;
  threshold: BurstThreshold;
  /** The evidence key the count goes under (`failures`, `changes`…). */
  countAs: string;
  matches: (e: SecurityEvent) => boolean;
  summary: (events: readonly SecurityEvent[], event: SecurityEvent, span: string) => string;
  evidence?: (events: readonly SecurityEvent[], event: SecurityEvent) => Finding['evidence'];
}): Rule {
  return (input) => {
    const { event, thresholds } = input;
    if (!o.matches(event)) return undefined;
    const { count: limit, windowMs } = thresholds[o.threshold];
    const events = eventsInWindow(input, windowMs, o.matches);
    if (events.length < limit) return undefined;
    const span = describeSpan(windowMs);
    return {
      rule: o.rule,
      subject: event.actor,
      severity: 'medium',
      summary: o.summary(events, event, span),
      evidence: {
        [o.countAs]: events.length,
        threshold: `${limit} in ${span}`,
        firstAt: firstAtIso(events),
        lastAt: new Date(event.at).toISOString(),
        ...o.evidence?.(events, event),
      },
    };
  };
}
