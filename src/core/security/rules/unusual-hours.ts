import { localTime, weekdayName, type LocalTime } from './local-time.js';
import type { ActorProfile, Rule, SecurityEventType } from './types.js';

/** What the hours rule watches, and how a summary names it. */
const WATCHED: Partial<Record<SecurityEventType, string>> = {
  'login.success': 'logged in',
  'config.change': 'changed the configuration',
  'permission.change': 'changed permissions',
  'data.export': 'exported data',
};

/**
 * A successful login or a privileged action (config or permission change,
 * data export) outside the account's working window, read on the wall clock
 * of the profile's time zone at the event's `at`. The window is
 * `[workStartHour:00, workEndHour:00)` on `workDays` (default 09:00–17:59,
 * Monday–Friday, UTC): 08:59 and 18:00 are outside, 09:00 and 17:59 inside.
 * A night shift (`workStartHour` > `workEndHour`, e.g. 22 → 6) runs past
 * midnight; its early hours belong to the workday it started on. Equal start
 * and end hours mean the whole day. Logins are `low`, privileged actions `medium`.
 */
export const unusualHours: Rule = ({ event, profile }) => {
  const verb = WATCHED[event.type];
  if (verb === undefined) return undefined;
  const local = localTime(event.at, profile.timeZone);
  if (isWorkingTime(local, profile)) return undefined;
  const when = `${weekdayName(local.weekday)} ${pad(local.hour)}:${pad(local.minute)}`;
  const window = describeWindow(profile);
  return {
    rule: 'unusual-hours',
    subject: event.actor,
    severity: event.type === 'login.success' ? 'low' : 'medium',
    summary: `${event.actor} ${verb} at ${when} ${local.timeZone} time, outside working hours (${window}).`,
    evidence: {
      eventType: event.type,
      localTime: when,
      timeZone: local.timeZone === profile.timeZone ? local.timeZone : `${profile.timeZone} (unknown zone, UTC used)`,
      workingHours: window,
      at: new Date(event.at).toISOString(),
    },
  };
};

/** Whether a local time falls inside the profile's working window. */
export function isWorkingTime({ weekday, hour }: Pick<LocalTime, 'weekday' | 'hour'>, profile: ActorProfile): boolean {
  const { workStartHour: start, workEndHour: end, workDays } = profile;
  const works = (day: number) => workDays.includes(day);
  if (start === end) return works(weekday);
  if (start < end) return works(weekday) && hour >= start && hour < end;
  const previousDay = weekday === 1 ? 7 : weekday - 1;
  return (works(weekday) && hour >= start) || (works(previousDay) && hour < end);
}

function describeWindow({ workStartHour, workEndHour, workDays }: ActorProfile): string {
  const hours = workStartHour === workEndHour ? 'all day' : `${pad(workStartHour)}:00–${pad(workEndHour)}:00`;
  return `${hours} on ${describeDays(workDays)}`;
}

/** `[7, 1, 2, 3, 4]` → "Sun–Thu"; `[1, 3, 5]` → "Mon, Wed, Fri". */
export function describeDays(workDays: readonly number[]): string {
  const days = new Set(workDays.filter((d) => d >= 1 && d <= 7));
  if (days.size === 7) return 'every day';
  if (days.size === 0) return 'no day';
  const next = (d: number) => (d % 7) + 1;
  const previous = (d: number) => (d === 1 ? 7 : d - 1);
  // Start after a day off, so a run across the week's end (Sun–Thu) stays whole.
  const first = [1, 2, 3, 4, 5, 6, 7].find((d) => days.has(d) && !days.has(previous(d))) ?? 1;
  const runs: number[][] = [];
  for (let d = first, i = 0; i < 7; d = next(d), i += 1) {
    if (!days.has(d)) continue;
    const run = runs[runs.length - 1];
    if (run !== undefined && run[run.length - 1] === previous(d)) run.push(d);
    else runs.push([d]);
  }
  return runs
    .flatMap((run) => (run.length >= 3 ? [`${weekdayName(run[0] ?? 1)}–${weekdayName(run[run.length - 1] ?? 1)}`] : run.map(weekdayName)))
    .join(', ');
}

const pad = (n: number) => String(n).padStart(2, '0');
