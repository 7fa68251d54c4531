import { describeSpan, eventsInWindow, firstAtIso } from './earlier-events.js';
import type { Rule, SecurityEvent } from './types.js';

const isDenial = (e: SecurityEvent) => e.type === 'command.denied';

/**
 * `thresholds.denialBurst.count` or more refused commands of one actor within
 * `windowMs`, this one included (default 3 in 10 minutes): someone probing
 * what they may not do. Fires at the count-th refusal and on later ones.
 */
export const denialBurst: Rule = (input) => {
  const { event, thresholds } = input;
  if (!isDenial(event)) return undefined;
  const { count: limit, windowMs } = thresholds.denialBurst;
  const denials = eventsInWindow(input, windowMs, isDenial);
  if (denials.length < limit) return undefined;
  const action = event.details?.['action'];
  return {
    rule: 'denial-burst',
    subject: event.actor,
    severity: 'medium',
    summary: `${event.actor} was refused ${denials.length} commands within ${describeSpan(windowMs)}.`,
    evidence: {
      denials: denials.length,
      threshold: `${limit} in ${describeSpan(windowMs)}`,
      firstAt: firstAtIso(denials),
      lastAt: new Date(event.at).toISOString(),
      ...(typeof action === 'string' ? { lastAction: action } : {}),
    },
  };
};
