import { text, type HttpRequest, type HttpResponse, type Route } from '../../http/types.js';
import type { Logger } from '../../runtime/logger.js';
import type { Metrics } from '../../runtime/metrics.js';
import { readEncryptedEnvelope, readKfMsgOrEvent } from './callback-xml.js';
import { openSignedCiphertext, openUrlVerification, type CallbackSecrets, type OpenCallbackFailureCode } from './open-callback.js';
import type { KfPuller } from './pull-messages.js';

export interface WechatRouteOptions {
  secrets: CallbackSecrets;
  puller: Pick<KfPuller, 'request'>;
  log: Logger;
  metrics: Metrics;
}

/** Refusals that mean "not from WeCom with our WECOM_TOKEN": 401. Everything else that fails before decryption: 400. */
const UNAUTHENTICATED: ReadonlySet<OpenCallbackFailureCode> = new Set(['missing_parameter', 'bad_signature']);

/**
 * `GET /webhooks/wechat`: WeCom's URL verification, answered with the
 * decrypted echostr and nothing else (no quotes, BOM or newline) within 1 s.
 * `POST`: a `kf_msg_or_event` notice, verified (msg_signature) and decrypted
 * before it is parsed; it carries no content, so it is acknowledged at once
 * (WeCom waits 5 s, then retries) and the account's messages are pulled in
 * the background with its token. Refusals are logged with their code, never
 * with the body.
 */
export function wechatRoutes(o: WechatRouteOptions): Route[] {
  const log = o.log.child({ channel: 'wechat' });
  return [
    { method: 'GET', path: '/webhooks/wechat', handler: async (req) => verifyUrl(req, o, log) },
    { method: 'POST', path: '/webhooks/wechat', handler: (req) => receive(req, o, log) },
  ];
}

function signedQuery(req: HttpRequest) {
  // URLSearchParams has decoded the query already (`+`, `/` and `=` of the base64 included).
  return { msg_signature: req.query.get('msg_signature'), timestamp: req.query.get('timestamp'), nonce: req.query.get('nonce') };
}

function verifyUrl(req: HttpRequest, o: WechatRouteOptions, log: Logger): HttpResponse {
  const opened = openUrlVerification(o.secrets, { ...signedQuery(req), echostr: req.query.get('echostr') });
  if (opened.ok) return text(200, opened.value);
  log.warn({ requestId: req.requestId, code: opened.code }, 'WeChat URL verification refused: check WECOM_TOKEN, WECOM_ENCODING_AES_KEY and WECOM_CORP_ID against the callback settings in the WeCom admin console');
  return refusal(opened.code);
}

async function receive(req: HttpRequest, o: WechatRouteOptions, log: Logger): Promise<HttpResponse> {
  const envelope = readEncryptedEnvelope(req.rawBody.toString('utf8'));
  if (!envelope.ok) {
    log.warn({ requestId: req.requestId, code: envelope.code, field: envelope.field }, 'WeChat callback body is not an encrypted envelope; refused');
    return refusal(envelope.code);
  }
  const opened = openSignedCiphertext(o.secrets, signedQuery(req), envelope.value.encrypt);
  if (!opened.ok) {
    o.metrics.inc('webhook_refused_total', { channel: 'wechat', code: opened.code });
    log.warn({ requestId: req.requestId, code: opened.code }, 'WeChat callback refused before parsing (signature or decryption)');
    return refusal(opened.code);
  }
  const notice = readKfMsgOrEvent(opened.value);
  if (!notice.ok) {
    // Verified and decrypted, but not a notice the desk acts on: 200, or WeCom would retry it.
    log.info({ requestId: req.requestId, code: notice.code, field: notice.field }, 'a WeChat callback the desk does not act on was acknowledged');
    return text(200, 'success');
  }
  await o.puller.request(notice.value.openKfId, notice.value.token);
  return text(200, 'success');
}

function refusal(code: OpenCallbackFailureCode): HttpResponse {
  if (UNAUTHENTICATED.has(code)) return text(401, 'invalid signature');
  if (code === 'too_large') return text(413, 'too large');
  return text(400, `refused: ${code}`);
}
