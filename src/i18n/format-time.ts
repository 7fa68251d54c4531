import { t } from './format.js';

/**
 * A moment as the reader's language writes it (`time.datetime`), on the wall
 * clock of `timeZone` (IANA; default UTC: seats carry no time zone yet).
 */
export function formatTime(lang: string | undefined, ms: number, timeZone = 'UTC'): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return t(lang, 'time.datetime', { year: parts.year ?? '', month: parts.month ?? '', day: parts.day ?? '', hour: parts.hour ?? '', minute: parts.minute ?? '', zone: timeZone });
}

/**
 * A response time in the reader's language: seconds below two minutes,
 * minutes below two hours, then as formatDuration (response times are
 * seconds to minutes, where formatDuration would say "0 minutes").
 */
export function formatResponseTime(lang: string | undefined, ms: number): string {
  if (ms < 120_000) return t(lang, 'time.seconds', { n: Math.round(ms / 1000) });
  if (ms < 7_200_000) return t(lang, 'time.minutes', { n: Math.round(ms / 60_000) });
  return formatDuration(lang, ms);
}

/** A length of time in the reader's language ("5 minutes", "5 分钟"), rounded to its largest unit. */
export function formatDuration(lang: string | undefined, ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return t(lang, 'time.minutes', { n: minutes });
  const hours = Math.round(minutes / 60);
  if (hours < 48) return t(lang, 'time.hours', { n: hours });
  return t(lang, 'time.days', { n: Math.round(hours / 24) });
}
