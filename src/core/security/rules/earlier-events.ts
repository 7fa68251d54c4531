import type { RuleInput, SecurityEvent } from './types.js';

/**
 * The actor's events before this one. History is kept in arrival order, and
 * outside systems deliver late or twice, so "earlier" is decided by `at`
 * (ties count as earlier) and the event itself is left out by id.
 */
export function earlierEvents({ event, history }: Pick<RuleInput, 'event' | 'history'>, keep: (e: SecurityEvent) => boolean): SecurityEvent[] {
  return history.filter((e) => e.id !== event.id && e.at <= event.at && keep(e));
}

/**
 * The events `keep` accepts within the window that ends with this event, the
 * event itself last when `keep` accepts it. The window is
 * `(event.at − windowMs, event.at]`: an event exactly `windowMs` earlier is
 * outside, one a millisecond later is inside.
 */
export function eventsInWindow(input: Pick<RuleInput, 'event' | 'history'>, windowMs: number, keep: (e: SecurityEvent) => boolean): SecurityEvent[] {
  const { event } = input;
  const inside = earlierEvents(input, (e) => event.at - e.at < windowMs && keep(e));
  return keep(event) ? [...inside, event] : inside;
}

/** When the earliest of these events happened, as ISO 8601. */
export function firstAtIso(events: readonly SecurityEvent[]): string {
  return new Date(Math.min(...events.map((e) => e.at))).toISOString();
}

/** `600000` → `"10 minutes"`, for summaries. */
export function describeSpan(ms: number): string {
  if (ms % 3600_000 === 0) return plural(ms / 3600_000, 'hour');
  if (ms % 60_000 === 0) return plural(ms / 60_000, 'minute');
  return plural(Math.round(ms / 1000), 'second');
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
