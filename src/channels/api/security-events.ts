import { z } from 'zod';
import type { SecurityMonitor } from '../../core/security/security-monitor.js';
import { json, type HttpRequest, type HttpResponse, type Route } from '../../http/types.js';
import type { Logger } from '../../runtime/logger.js';
import { readSignedBody } from './read-signed-body.js';

/** SPEC §9: `{id, type, actor, at, ip?, country?, lat?, lon?, device?, rows?, details?}`. */
export const securityEventBody = z
  .object({
    id: z.string().min(1).max(200),
    type: z.enum(['login.success', 'login.failure', 'data.export', 'config.change']),
    actor: z.string().min(1).max(200),
    at: z.iso.datetime({ offset: true }),
    ip: z.union([z.ipv4(), z.ipv6()]).optional(),
    country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2, upper case (DE, JP…)').optional(),
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
    device: z.string().max(300).optional(),
    rows: z.number().int().min(0).optional(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .refine((e) => (e.lat === undefined) === (e.lon === undefined), { message: 'lat and lon come together', path: ['lat'] });

/**
 * `POST /api/security-events`: signed like `/api/messages` (checked before
 * parsing), validated, processed once per event id; 202 when accepted, 200
 * for a resend.
 */
export function securityEventRoutes(o: { secret: string; monitor: SecurityMonitor; log: Logger }): Route[] {
  return [{ method: 'POST', path: '/api/security-events', handler: (req) => receive(req, o) }];
}

async function receive(req: HttpRequest, o: { secret: string; monitor: SecurityMonitor; log: Logger }): Promise<HttpResponse> {
  const log = o.log.child({ route: 'security-events', requestId: req.requestId });
  const read = readSignedBody(req, o.secret, securityEventBody, log, 'security event');
  if (!read.ok) return read.response;
  const e = read.value;
  const outcome = await o.monitor.observe({
    id: `api:${e.id}`, type: e.type, actor: e.actor, at: Date.parse(e.at), source: 'api',
    ...(e.ip ? { ip: e.ip } : {}), ...(e.country ? { country: e.country } : {}),
    ...(e.lat !== undefined ? { lat: e.lat, lon: e.lon! } : {}), ...(e.device ? { device: e.device } : {}),
    ...(e.rows !== undefined ? { rows: e.rows } : {}), ...(e.details ? { details: e.details } : {}),
  });
  if (outcome.status === 'duplicate') return json(200, { status: 'duplicate' });
  return json(202, { status: 'accepted', alerts: outcome.findings.map((f) => f.rule) });
}
