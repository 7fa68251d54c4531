import type { Desk } from '../../core/desk.js';
import { json, type HttpRequest, type HttpResponse, type Route } from '../../http/types.js';
import type { Logger } from '../../runtime/logger.js';
import type { Metrics } from '../../runtime/metrics.js';
import { readSignedBody } from './read-signed-body.js';
import { apiMessage } from './parse-message.js';
import { ownValue } from '../../core/own-property.js';

export interface ApiRouteOptions {
  secret: string;
  sources: Record<string, { callbackUrl: string }>;
  desk: Desk;
  log: Logger;
  metrics: Metrics;
}

/**
 * The generic inbound API (SPEC §4): `X-Signature: sha256=<hex HMAC of the raw
 * body>` checked before parsing; 202 once the message is stored; errors say
 * which field is wrong.
 */
export function apiRoutes(o: ApiRouteOptions): Route[] {
  return [{ method: 'POST', path: '/api/messages', handler: (req) => receive(req, o) }];
}

async function receive(req: HttpRequest, o: ApiRouteOptions): Promise<HttpResponse> {
  const log = o.log.child({ channel: 'api', requestId: req.requestId });
  const read = readSignedBody(req, o.secret, apiMessage, log, 'API message');
  if (!read.ok) return read.response;
  const m = read.value;
  if (!ownValue(o.sources, m.source)) {
    log.warn({ source: m.source }, 'API message from a source that is not configured');
    return json(422, { error: 'unknown_source', message: `Source "${m.source}" is not configured. Add it under api.sources in the config file with its callback_url.` });
  }
  const outcome = await o.desk.receiveCustomerMessage({
    channel: 'api',
    account: m.source,
    customer: { id: m.customer.id, ...(m.customer.name ? { name: m.customer.name } : {}), ...(m.customer.tags?.length ? { tags: m.customer.tags } : {}) },
    messageId: m.message_id,
    text: m.text,
    ...(m.attachments?.length ? { attachments: m.attachments.map((a) => ({ kind: 'file' as const, url: a.url, ...(a.name ? { fileName: a.name } : {}) })) } : {}),
    sentAt: m.sent_at ? Date.parse(m.sent_at) : Date.now(),
  });
  o.metrics.inc('inbound_messages_total', { channel: 'api', outcome: outcome.status });
  if (outcome.status !== 'accepted') return json(200, { status: 'duplicate' });
  return json(202, { status: 'accepted', conversation_id: outcome.conversation.id });
}
