import type { PrivateView } from '../core/overview/private-view.js';
import type { DepartmentStats, QueueFigures, SeatFigures } from '../core/stats/read-stats.js';
import { t } from '../i18n/format.js';
import { formatResponseTime } from '../i18n/format-time.js';

type StatsView = Extract<PrivateView, { kind: 'stats' }>;

/** A department's heading: its name, its days and the time zone they are counted in. */
export function statsTitleText(lang: string, d: DepartmentStats): string {
  const { from, to } = d.range;
  return from === to
    ? t(lang, 'stats.title_day', { department: d.department, date: from, zone: d.timeZone })
    : t(lang, 'stats.title', { department: d.department, from, to, zone: d.timeZone });
}

/** A queue's (or the total's) two lines: volume and state, then response times, transfers and breaches. */
export function queueFiguresText(lang: string, q: QueueFigures): string {
  const none = t(lang, 'stats.no_value');
  const within = (ms: number | undefined) => (ms === undefined ? none : t(lang, 'stats.at_most', { duration: formatResponseTime(lang, ms) }));
  return [
    t(lang, 'stats.queue_line', { queue: q.queue ?? t(lang, 'stats.total'), opened: q.opened, closed: q.closed, open: q.open, waiting: q.waiting, overdue: q.overdue }),
    t(lang, 'stats.response_line', {
      p50: within(q.firstResponseP50Ms), p90: within(q.firstResponseP90Ms), n: q.firstResponses,
      avg: q.avgResponseMs === undefined ? none : formatResponseTime(lang, q.avgResponseMs), transfers: q.transfers, breaches: q.breaches,
    }),
  ].join('\n');
}

export function seatFiguresText(lang: string, s: SeatFigures): string {
  return t(lang, 'stats.seat_line', { name: s.name, handled: s.handled, transfers: s.transfers, breaches: s.breaches });
}

/** Coverage per local hour as one compact line: `00 100% · 01 0% · …`, `–` for hours not yet begun. */
export function coverageText(lang: string, coverage: readonly (number | undefined)[]): string {
  return coverage.map((c, h) => `${String(h).padStart(2, '0')} ${c === undefined ? t(lang, 'stats.no_value') : `${Math.round(c * 100)}%`}`).join(' · ');
}

/** Everything about one department, as the plain text every messenger can show. */
export function departmentStatsText(lang: string, d: DepartmentStats): string {
  return [
    statsTitleText(lang, d),
    ...d.queues.map((q) => queueFiguresText(lang, q)),
    ...(d.queues.length > 1 ? [queueFiguresText(lang, d.total)] : []),
    d.seats.length ? [t(lang, 'stats.seats_header'), ...d.seats.map((s) => `• ${seatFiguresText(lang, s)}`)].join('\n') : t(lang, 'stats.no_seats'),
    ...(d.coverage ? [`${t(lang, 'stats.coverage_header')}\n${coverageText(lang, d.coverage)}`] : []),
  ].join('\n\n');
}

/** The stats view as plain text: what messengers without a rich form show, and the outbox item's fallback. */
export function statsViewText(view: StatsView): string {
  if (!view.departments.length) return t(view.lang, 'stats.none');
  return view.departments.map((d) => departmentStatsText(view.lang, d)).join('\n\n———\n\n');
}
