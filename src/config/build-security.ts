import type { Config } from './config.js';
import type { FileConfig } from './schema.js';

/** Time zones must be real IANA names (a typo would silently shift every "unusual hours" alert). */
export function checkTimeZones(sec: FileConfig['security'], configFile: string, problems: string[]): void {
  const validZone = (tz: string) => { try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; } };
  for (const [where, tz] of [['security.time_zone', sec.time_zone], ...Object.entries(sec.accounts).map(([a, p]) => [`security.accounts.${a}.time_zone`, p.time_zone] as const)] as const) {
    if (tz && !validZone(tz)) problems.push(`${configFile}: ${where} "${tz}" is not a time zone. Use an IANA name such as Europe/Berlin or Asia/Shanghai.`);
  }
}

/** The security section in milliseconds and working hours, each account falling back to the default profile. */
export function buildSecurity(sec: FileConfig['security']): Config['security'] {
  const hours = (s: string) => { const [a, b] = s.split('-'); return { workStartHour: Number(a!.slice(0, 2)), workEndHour: Number(b!.slice(0, 2)) }; };
  const defaultProfile = { timeZone: sec.time_zone, ...hours(sec.work_hours), workDays: sec.work_days };
  const minutes = (m: number) => m * 60_000;
  return {
    quietMs: minutes(sec.quiet_period_minutes),
    ackTimeoutMs: minutes(sec.ack_timeout_minutes),
    thresholds: {
      failedLogins: { count: sec.failed_logins.count, windowMs: minutes(sec.failed_logins.window_minutes) },
      maxTravelKmh: sec.max_travel_kmh,
      exportRows: sec.export_rows,
      exportFactor: sec.export_factor,
      changeBurst: { count: sec.change_burst.count, windowMs: minutes(sec.change_burst.window_minutes) },
      denialBurst: { count: sec.denial_burst.count, windowMs: minutes(sec.denial_burst.window_minutes) },
    },
    defaultProfile,
    profiles: Object.fromEntries(Object.entries(sec.accounts).map(([actor, p]) => [actor, {
      timeZone: p.time_zone ?? defaultProfile.timeZone,
      ...(p.work_hours ? hours(p.work_hours) : { workStartHour: defaultProfile.workStartHour, workEndHour: defaultProfile.workEndHour }),
      workDays: p.work_days ?? defaultProfile.workDays,
    }])),
  };
}
