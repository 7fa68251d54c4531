import { readEncryptedEnvelope, readKfMsgOrEvent, type CallbackXmlFailureCode, type KfMsgOrEvent } from './callback-xml.js';
import { decrypt, verifyMsgSignature, type DecryptFailureCode } from './crypto.js';

/** The callback settings of the WeCom admin console (WECOM_TOKEN, WECOM_ENCODING_AES_KEY, WECOM_CORP_ID). */
export interface CallbackSecrets {
  token: string;
  encodingAesKey: string;
  /** The receive id every ciphertext must end with. */
  corpId: string;
}

/** The signed query of every callback request, as URLSearchParams gives it (already URL-decoded). */
export interface CallbackQuery {
  msg_signature: string | null;
  timestamp: string | null;
  nonce: string | null;
}

export type OpenCallbackFailureCode =
  /** msg_signature, timestamp, nonce (or echostr) absent. */
  | 'missing_parameter'
  /** The signature does not match: not from WeCom, or another WECOM_TOKEN. */
  | 'bad_signature'
  | DecryptFailureCode
  | CallbackXmlFailureCode;

export type OpenCallbackResult<T> = { ok: true; value: T } | { ok: false; code: OpenCallbackFailureCode; field?: string };

/**
 * Checks `msg_signature` over the ciphertext, then decrypts it: the order
 * SPEC §10 asks for (nothing is parsed before it is verified). WeCom
 * documents no freshness window for `timestamp`, so none is enforced here;
 * replays are handled by deduplicating msgids.
 */
export function openSignedCiphertext(secrets: CallbackSecrets, query: CallbackQuery, encrypted: string | null): OpenCallbackResult<string> {
  const { msg_signature: signature, timestamp, nonce } = query;
  if (!signature || !timestamp || !nonce || !encrypted) return { ok: false, code: 'missing_parameter' };
  if (!verifyMsgSignature(secrets.token, timestamp, nonce, encrypted, signature)) return { ok: false, code: 'bad_signature' };
  const opened = decrypt(secrets.encodingAesKey, encrypted, secrets.corpId);
  return opened.ok ? { ok: true, value: opened.message } : opened;
}

/** GET URL verification: the plaintext of `echostr`, to answer as is (no quotes, BOM or newline) within 1 s. */
export function openUrlVerification(secrets: CallbackSecrets, query: CallbackQuery & { echostr: string | null }): OpenCallbackResult<string> {
  return openSignedCiphertext(secrets, query, query.echostr);
}

/**
 * POST event callback: the envelope read, verified, decrypted and read as a
 * kf_msg_or_event notice. The envelope is read first because the signature
 * covers its `Encrypt`; the reader is strict and bounded, so that is safe.
 */
export function openKfCallback(secrets: CallbackSecrets, query: CallbackQuery, body: string): OpenCallbackResult<KfMsgOrEvent> {
  const envelope = readEncryptedEnvelope(body);
  if (!envelope.ok) return envelope;
  const opened = openSignedCiphertext(secrets, query, envelope.value.encrypt);
  if (!opened.ok) return opened;
  return readKfMsgOrEvent(opened.value);
}
