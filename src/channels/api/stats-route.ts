import type { Desk } from '../../core/desk.js';
import type { DepartmentStats } from '../../core/stats/read-stats.js';
import { json, type HttpRequest, type HttpResponse, type Route } from '../../http/types.js';
import type { Logger } from '../../runtime/logger.js';
import { verifyHmacSha256 } from '../verify-hmac.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * `GET /api/stats?from=YYYY-MM-DD&to=YYYY-MM-DD` (SPEC §7): every queue's
 * figures and every seat's over local dates, both inclusive, each queue's in
 * its department's time zone. Signed like `/api/messages`, but a GET has no
 * body: `X-Signature: sha256=<hex HMAC-SHA256(query string without the
 * leading '?', INBOUND_API_SECRET)>`, checked before anything is read (401).
 */
export function statsRoutes(o: { secret: string; desk: Pick<Desk, 'statsForRange'>; log: Logger }): Route[] {
  return [{ method: 'GET', path: '/api/stats', handler: (req) => answer(req, o) }];
}

async function answer(req: HttpRequest, o: { secret: string; desk: Pick<Desk, 'statsForRange'>; log: Logger }): Promise<HttpResponse> {
  const log = o.log.child({ route: 'api-stats', requestId: req.requestId });
  if (!verifyHmacSha256(o.secret, Buffer.from(req.rawQuery, 'utf8'), req.headers['x-signature'])) {
    log.warn({ hasSignature: Boolean(req.headers['x-signature']) }, 'stats request with a bad signature refused');
    return json(401, { error: 'invalid_signature', message: "X-Signature must be sha256=<hex HMAC-SHA256 of the query string without the leading '?', with the shared secret>." });
  }
  const from = req.query.get('from') ?? '';
  const to = req.query.get('to') ?? '';
  const problems = [...(DATE.test(from) ? [] : ['from: a date like 2026-11-01']), ...(DATE.test(to) ? [] : ['to: a date like 2026-11-07'])];
  if (problems.length) return json(422, { error: 'invalid_query', problems });
  const result = await o.desk.statsForRange(from, to);
  if (!result.ok) return json(422, { error: 'invalid_query', problems: [`from..to: real dates, from not after to, at most 366 days (${result.failure.code})`] });
  return json(200, statsJson(from, to, result.value));
}

/** The answer's shape (SPEC §7): queues of every department, then seats with their counts summed over departments. */
export function statsJson(from: string, to: string, departments: readonly DepartmentStats[]) {
  const seats = new Map<string, { seat: string; name: string; handled: number; transfers: number; breaches: number }>();
  for (const s of departments.flatMap((d) => d.seats)) {
    const sum = seats.get(s.seat) ?? { seat: s.seat, name: s.name, handled: 0, transfers: 0, breaches: 0 };
    sum.handled += s.handled;
    sum.transfers += s.transfers;
    sum.breaches += s.breaches;
    seats.set(s.seat, sum);
  }
  return {
    from, to,
    queues: departments.flatMap((d) => d.queues.map((q) => ({
      queue: q.queue!, department: d.department, time_zone: d.timeZone,
      opened: q.opened, closed: q.closed, open: q.open, waiting: q.waiting, overdue: q.overdue,
      first_response_ms: { p50: q.firstResponseP50Ms ?? null, p90: q.firstResponseP90Ms ?? null },
      avg_response_ms: q.avgResponseMs ?? null,
      transfers: q.transfers, breaches: q.breaches,
    }))),
    seats: [...seats.values()].sort((a, b) => a.seat.localeCompare(b.seat)),
  };
}
