import { DEFAULT_PROFILE, DEFAULT_THRESHOLDS, type RuleInput, type SecurityEvent, type SecurityEventType } from '../../../src/core/security/rules/types.js';

export const ACTOR = 'alice@example.com';
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** Wednesday 4 March 2026, 10:00 UTC: inside the default working hours. */
export const T0 = Date.UTC(2026, 2, 4, 10, 0);

let seq = 0;

/** One security event of `alice@example.com` at an explicit time. */
export function event(type: SecurityEventType, at: number, over: Partial<SecurityEvent> = {}): SecurityEvent {
  seq += 1;
  return { id: `ev-${seq}`, type, actor: ACTOR, at, source: 'api', ...over };
}

/** `n` events of one type, `spacingMs` apart, the last at `lastAt`, oldest first. */
export function series(type: SecurityEventType, n: number, spacingMs: number, lastAt: number, over: Partial<SecurityEvent> = {}): SecurityEvent[] {
  return Array.from({ length: n }, (_, i) => event(type, lastAt - (n - 1 - i) * spacingMs, over));
}

/** A rule input with the default profile and thresholds unless given. */
export function input(current: SecurityEvent, history: readonly SecurityEvent[] = [], over: Partial<Omit<RuleInput, 'event' | 'history'>> = {}): RuleInput {
  return { event: current, history, profile: DEFAULT_PROFILE, thresholds: DEFAULT_THRESHOLDS, ...over };
}
