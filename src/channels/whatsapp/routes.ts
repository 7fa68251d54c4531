import type { Desk } from '../../core/desk.js';
import { keys } from '../../core/keys.js';
import type { StorePort } from '../../core/ports.js';
import type { Failure } from '../../core/result.js';
import { jsonTooDeep } from '../../http/json-depth.js';
import { json, text, type HttpRequest, type HttpResponse, type Route } from '../../http/types.js';
import type { Logger } from '../../runtime/logger.js';
import type { Metrics } from '../../runtime/metrics.js';
import { verifyHmacSha256 } from '../verify-hmac.js';
import { readSentRecord } from '../../core/sent-messages.js';
import { parseWebhook, type WhatsAppStatus } from './parse-webhook.js';
import { receiveMessages } from './receive-messages.js';
import { WINDOW_CLOSED } from './deliver.js';
import { markOptedOut } from '../../core/templates/opt-out.js';
import { markReadInThread } from './read-status.js';

export interface WhatsAppRouteOptions {
  appSecret: string;
  verifyToken: string;
  phoneNumberId: string;
  desk: Desk;
  /** Delivery statuses, the once-only mark of a failure report, and the records of sent messages. */
  store: Pick<StorePort, 'set' | 'get' | 'setIfAbsent' | 'getString'>;
  log: Logger;
  metrics: Metrics;
  /** A reply that was accepted but failed later (status webhook): told to the thread. */
  reportSendFailure: (convId: string, failure: Failure) => Promise<void>;
}

/**
 * `GET /webhooks/whatsapp`: Meta's verification handshake. `POST`: messages and
 * statuses, signed with `X-Hub-Signature-256` (checked in constant time before
 * the body is parsed), deduplicated by wamid; answered 200 only once every
 * message is in the store, so a crash makes Meta retry instead of losing it.
 */
export function whatsappRoutes(o: WhatsAppRouteOptions): Route[] {
  const log = o.log.child({ channel: 'whatsapp' });
  return [
    { method: 'GET', path: '/webhooks/whatsapp', handler: async (req) => handshake(req, o.verifyToken, log) },
    { method: 'POST', path: '/webhooks/whatsapp', handler: (req) => receive(req, o, log) },
  ];
}

function handshake(req: HttpRequest, verifyToken: string, log: Logger): HttpResponse {
  const mode = req.query.get('hub.mode');
  const token = req.query.get('hub.verify_token');
  const challenge = req.query.get('hub.challenge');
  if (mode === 'subscribe' && token === verifyToken && challenge) return text(200, challenge);
  log.warn({ requestId: req.requestId, mode }, 'WhatsApp verification handshake refused: hub.verify_token does not match WHATSAPP_VERIFY_TOKEN');
  return text(403, 'verification failed: hub.verify_token does not match');
}

async function receive(req: HttpRequest, o: WhatsAppRouteOptions, log: Logger): Promise<HttpResponse> {
  if (!verifyHmacSha256(o.appSecret, req.rawBody, req.headers['x-hub-signature-256'])) {
    log.warn({ requestId: req.requestId, hasSignature: Boolean(req.headers['x-hub-signature-256']) }, 'WhatsApp webhook with a bad signature refused');
    return text(401, 'invalid signature');
  }
  if (jsonTooDeep(req.rawBody)) {
    log.warn({ requestId: req.requestId }, 'signed WhatsApp webhook nests too deep; refused');
    return json(400, { error: 'json_too_deep' });
  }
  let body: unknown;
  try {
    body = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    log.warn({ requestId: req.requestId }, 'signed WhatsApp webhook is not JSON');
    return json(400, { error: 'invalid_json' });
  }
  const parsed = parseWebhook(body);
  if (!parsed) {
    // Answered 200: Meta would otherwise retry an unreadable shape for days.
    log.warn({ requestId: req.requestId }, 'WhatsApp webhook of an unknown shape acknowledged and ignored');
    return text(200, 'ignored');
  }
  if (parsed.skipped.length) log.info({ requestId: req.requestId, skipped: parsed.skipped }, 'parts of a WhatsApp webhook not used');
  await receiveMessages(parsed, { ...o, log }, req.requestId);
  for (const { status } of parsed.statuses) await recordStatus(status, o, log);
  return text(200, 'ok');
}

async function recordStatus(status: WhatsAppStatus, o: WhatsAppRouteOptions, log: Logger): Promise<void> {
  const { store } = o;
  await store.set(keys.messageStatus('whatsapp', status.id), { status: status.status, at: Number(status.timestamp ?? 0) * 1000 }, 8 * 24 * 3600_000);
  if (status.status === 'read') return markReadInThread(status.id, o);
  if (status.status !== 'failed') return;
  // Report each failure once, however often Meta repeats the webhook.
  if (!(await store.setIfAbsent(keys.dedupe('whatsapp-failed', status.id), '1', 8 * 24 * 3600_000))) return;
  const sent = await readSentRecord(store, 'whatsapp', status.id);
  if (!sent) { log.info({ code: status.errors?.[0]?.code }, 'failure status for a message this desk did not send'); return; }
  const err = status.errors?.[0];
  // 131050: the customer stopped such messages; like a STOP, no template until they write again.
  const stopped = err?.code === 131050 ? await markOptedOut(o.desk.conversations, sent.convId, o.desk.clock.now()) : undefined;
  if (stopped) await o.desk.refreshHeader(stopped);
  const failure: Failure = err?.code === 131050 ? { code: 'customer_opted_out' }
    : err?.code === 131047 ? { code: 'window_closed', detail: WINDOW_CLOSED }
    : { code: 'channel_error', detail: { channel: 'WhatsApp', reason: `${err?.code ?? 'unknown'}: ${err?.title ?? err?.message ?? 'failed'}` } };
  await o.reportSendFailure(sent.convId, failure);
}
