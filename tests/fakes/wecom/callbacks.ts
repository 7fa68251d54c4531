import { randomBytes } from 'node:crypto';
import { encrypt, msgSignature } from '../../../src/channels/wechat/crypto.js';

/** The three secrets of the callback settings (SPEC §4: WECOM_TOKEN, WECOM_ENCODING_AES_KEY, WECOM_CORP_ID). */
export interface CallbackSecrets {
  token: string;
  encodingAesKey: string;
  corpId: string;
}

/** A callback request as WeCom sends it: the signed query and, for POST, the XML body. */
export interface BuiltCallback {
  method: 'GET' | 'POST';
  /** `msg_signature`, `timestamp`, `nonce` (and `echostr` for GET), URL-encoded as WeCom does. */
  query: string;
  body?: string;
}

function signedQuery(secrets: CallbackSecrets, encrypted: string, timestampS: number, nonce: string): URLSearchParams {
  const timestamp = String(timestampS);
  return new URLSearchParams({ msg_signature: msgSignature(secrets.token, timestamp, nonce, encrypted), timestamp, nonce });
}

/** A nonce like WeCom's: a decimal string. */
export function newNonce(): string {
  return String(randomBytes(4).readUInt32BE(0));
}

/**
 * The URL verification request (path/90930, platform-facts.md §2):
 * `GET ?msg_signature&timestamp&nonce&echostr`, echostr encrypted with the
 * corp id as receive id; the bot must answer the plaintext `echo` as is.
 * URLSearchParams percent-encodes `+`, `/` and `=` of the base64.
 */
export function buildUrlVerification(
  secrets: CallbackSecrets,
  options: { timestampS: number; nonce?: string; echo?: string },
): BuiltCallback & { echo: string } {
  const echo = options.echo ?? String(randomBytes(8).readBigUInt64BE(0));
  const echostr = encrypt(secrets.encodingAesKey, echo, secrets.corpId);
  const query = signedQuery(secrets, echostr, options.timestampS, options.nonce ?? newNonce());
  query.set('echostr', echostr);
  return { method: 'GET', query: query.toString(), echo };
}

/**
 * The `kf_msg_or_event` notice (path/94670, K2): the decrypted XML carries
 * only the sync token and the account; the body wraps it in `<Encrypt>`, and
 * `msg_signature` signs that ciphertext.
 */
export function buildKfCallback(
  secrets: CallbackSecrets,
  options: { openKfId: string; syncToken: string; timestampS: number; nonce?: string; agentId?: string },
): BuiltCallback {
  const inner =
    `<xml><ToUserName><![CDATA[${secrets.corpId}]]></ToUserName>` +
    `<CreateTime>${options.timestampS}</CreateTime>` +
    `<MsgType><![CDATA[event]]></MsgType>` +
    `<Event><![CDATA[kf_msg_or_event]]></Event>` +
    `<Token><![CDATA[${options.syncToken}]]></Token>` +
    `<OpenKfId><![CDATA[${options.openKfId}]]></OpenKfId></xml>`;
  const encrypted = encrypt(secrets.encodingAesKey, inner, secrets.corpId);
  const body =
    `<xml><ToUserName><![CDATA[${secrets.corpId}]]></ToUserName>` +
    (options.agentId === undefined ? '' : `<AgentID><![CDATA[${options.agentId}]]></AgentID>`) +
    `<Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`;
  const query = signedQuery(secrets, encrypted, options.timestampS, options.nonce ?? newNonce());
  return { method: 'POST', query: query.toString(), body };
}

/** What the bot answered to one callback. */
export interface CallbackDelivery {
  kind: 'verify' | 'kf_msg_or_event';
  url: string;
  status: number;
  /** The answer's body as text (for verification: must equal the echo). */
  body: string;
  /** How long the bot took, in ms (WeCom waits 5 s for events, 1 s for verification). */
  elapsedMs: number;
  /** The sync token the notice carried (kf_msg_or_event only). */
  syncToken?: string;
  /** The exact request, so a test can replay it as WeCom's retries do (same query, same body). */
  request: BuiltCallback;
}

/** Sends one built callback to the bot's `/webhooks/wechat` URL. */
export async function sendCallback(url: string, built: BuiltCallback): Promise<{ status: number; body: string; elapsedMs: number }> {
  const started = Date.now();
  const target = `${url}${url.includes('?') ? '&' : '?'}${built.query}`;
  const response = await fetch(target, {
    method: built.method,
    ...(built.body === undefined ? {} : { body: built.body, headers: { 'content-type': 'text/xml' } }),
  });
  const body = await response.text();
  return { status: response.status, body, elapsedMs: Date.now() - started };
}
