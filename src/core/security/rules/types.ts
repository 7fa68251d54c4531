/**
 * The security rules' vocabulary (SPEC §9): events in, findings out. Rules are
 * pure functions of a `RuleInput`; the time of day they reason about is the
 * event's own `at`, never the clock.
 */

export type SecurityEventType = 'login.success' | 'login.failure' | 'data.export' | 'config.change' | 'permission.change' | 'command.denied';

export interface SecurityEvent {
  /** Unique per event, so a resend is processed once. */
  id: string;
  type: SecurityEventType;
  /** The account the event is about, e.g. `alice@example.com`. */
  actor: string;
  /** When it happened, in ms since the epoch. */
  at: number;
  ip?: string;
  /** ISO 3166-1 alpha-2, e.g. `DE`. */
  country?: string;
  lat?: number;
  lon?: number;
  device?: string;
  /** For `data.export`: how many rows left the system. */
  rows?: number;
  details?: Record<string, unknown>;
  source: 'api' | 'bot';
}

/** When an account usually works, in its own time zone. */
export interface ActorProfile {
  /** IANA name, e.g. `Europe/Berlin`. */
  timeZone: string;
  /** First working hour, 0–23 (9 means from 09:00). */
  workStartHour: number;
  /** First hour no longer worked, 1–24 (18 means until 17:59). Below `workStartHour` for a night shift. */
  workEndHour: number;
  /** ISO weekdays: 1 = Monday … 7 = Sunday. */
  workDays: number[];
}

export interface SecurityThresholds {
  /** Failed logins of one account within a window. Default 5 in 10 minutes. */
  failedLogins: { count: number; windowMs: number };
  /** Speed between two logins' locations above which travel is impossible. Default 1000 km/h, faster than flights allow. */
  maxTravelKmh: number;
  /** Rows in one export that alert whatever the actor's habits. Default 10,000. */
  exportRows: number;
  /** An export this many times the actor's median earlier export alerts. Default 5. */
  exportFactor: number;
  /** Config and permission changes by one actor within a window. Default 10 in 10 minutes. */
  changeBurst: { count: number; windowMs: number };
  /** Refused commands of one actor within a window. Default 3 in 10 minutes. */
  denialBurst: { count: number; windowMs: number };
}

export interface RuleInput {
  event: SecurityEvent;
  /** This actor's earlier events, oldest first, up to 90 days. */
  history: readonly SecurityEvent[];
  profile: ActorProfile;
  thresholds: SecurityThresholds;
}

export interface Finding {
  /** The rule's id, which is also its file name, e.g. `failed-login-burst`. */
  rule: string;
  /** What the alert is about, for de-duplication, e.g. the account. */
  subject: string;
  severity: 'low' | 'medium' | 'high';
  /** One sentence a security person reads. */
  summary: string;
  evidence: Record<string, string | number>;
}

/** One anomaly check: a finding when the event is suspicious, else undefined. */
export type Rule = (input: RuleInput) => Finding | undefined;

const TEN_MINUTES = 10 * 60_000;

export const DEFAULT_THRESHOLDS: SecurityThresholds = {
  failedLogins: { count: 5, windowMs: TEN_MINUTES },
  maxTravelKmh: 1000,
  exportRows: 10_000,
  exportFactor: 5,
  changeBurst: { count: 10, windowMs: TEN_MINUTES },
  denialBurst: { count: 3, windowMs: TEN_MINUTES },
};

/** 09:00–18:00, Monday to Friday, UTC. */
export const DEFAULT_PROFILE: ActorProfile = {
  timeZone: 'UTC',
  workStartHour: 9,
  workEndHour: 18,
  workDays: [1, 2, 3, 4, 5],
};
