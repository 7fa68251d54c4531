/**
 * A strict, bounded reader for the two XML documents of a WeCom callback:
 * the POST body `<xml><ToUserName>…</ToUserName><AgentID>…</AgentID><Encrypt>…</Encrypt></xml>`
 * and, once decrypted, `<xml>…<MsgType>event</MsgType><Event>kf_msg_or_event</Event><Token>…</Token><OpenKfId>…</OpenKfId></xml>`
 * (platform-facts.md §2, K2). Both are one `<xml>` root holding flat fields,
 * each a CDATA section or plain text, so that is all this reader accepts: no
 * DOCTYPE, entity, comment or processing instruction (beyond the XML
 * declaration), no attributes, no nested elements, no repeated field, and a
 * size limit checked before anything is scanned. No XML library is needed for
 * that, and none of their entity-expansion or recursion pitfalls apply.
 */

export type CallbackXmlFailureCode =
  /** Larger than the limit, or more fields than any callback has. */
  | 'too_large'
  /** Not a `<xml>…</xml>` document of flat fields. */
  | 'malformed'
  /** DOCTYPE, ENTITY, entity references, comments or processing instructions. */
  | 'forbidden_markup'
  /** A field holds an element instead of text. */
  | 'nested_element'
  /** The same field twice: which one counts would be ambiguous. */
  | 'duplicate_field'
  /** A field the document must carry is absent or empty. */
  | 'missing_field'
  /** A decrypted callback that is not `kf_msg_or_event`. */
  | 'unexpected_event';

export type CallbackXmlResult<T> =
  | { ok: true; value: T }
  | { ok: false; code: CallbackXmlFailureCode; field?: string };

/** Default limit: SPEC §10 refuses bodies over 1 MiB. */
export const MAX_CALLBACK_XML_CHARS = 1024 * 1024;
/** The callbacks have at most a handful of fields; more is not a callback. */
const MAX_FIELDS = 32;
const DECLARATION = /^\s*<\?xml[^?<>]{0,200}\?>/;
const FIELD_OPEN = /<([A-Za-z_][A-Za-z0-9_]{0,63})>/y;
const CDATA_OPEN = '<![CDATA[';
const CDATA_CLOSE = ']]>';

/** Reads the fields of a flat `<xml>` document; never throws. */
export function readXmlFields(text: string, maxChars = MAX_CALLBACK_XML_CHARS): CallbackXmlResult<ReadonlyMap<string, string>> {
  if (text.length > maxChars) return { ok: false, code: 'too_large' };
  const declaration = DECLARATION.exec(text);
  const body = (declaration ? text.slice(declaration[0].length) : text).trim();
  const outsideCdata = withoutCdata(body);
  if (outsideCdata === undefined) return { ok: false, code: 'malformed' };
  // `&` and `<!`/`<?` are only harmless inside CDATA, where they are text.
  if (/<!|<\?|&/.test(outsideCdata)) return { ok: false, code: 'forbidden_markup' };
  if (!body.startsWith('<xml>') || !body.endsWith('</xml>')) return { ok: false, code: 'malformed' };

  const fields = new Map<string, string>();
  const end = body.length - '</xml>'.length;
  let at = '<xml>'.length;
  for (;;) {
    while (at < end && /\s/.test(body[at]!)) at += 1;
    if (at >= end) break;
    FIELD_OPEN.lastIndex = at;
    const open = FIELD_OPEN.exec(body);
    if (!open) return { ok: false, code: 'malformed' };
    const name = open[1]!;
    const read = readFieldValue(body, at + open[0].length, end, name);
    if (!read.ok) return { ok: false, code: read.code, field: name };
    if (fields.has(name)) return { ok: false, code: 'duplicate_field', field: name };
    if (fields.size >= MAX_FIELDS) return { ok: false, code: 'too_large' };
    fields.set(name, read.value);
    at = read.next;
  }
  return { ok: true, value: fields };
}

/**
 * The text with its CDATA sections removed, or undefined when one is never
 * closed. A linear scan: a regex with a lazy body would be quadratic on many
 * unclosed `<![CDATA[`.
 */
function withoutCdata(text: string): string | undefined {
  const parts: string[] = [];
  let at = 0;
  for (;;) {
    const open = text.indexOf(CDATA_OPEN, at);
    if (open === -1) break;
    const close = text.indexOf(CDATA_CLOSE, open + CDATA_OPEN.length);
    if (close === -1) return undefined;
    parts.push(text.slice(at, open));
    at = close + CDATA_CLOSE.length;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

type ValueRead = { ok: true; value: string; next: number } | { ok: false; code: CallbackXmlFailureCode };

/** One field's content (a CDATA section or plain text) up to its closing tag. */
function readFieldValue(body: string, from: number, end: number, name: string): ValueRead {
  const close = `</${name}>`;
  let at = from;
  while (at < end && /\s/.test(body[at]!)) at += 1;
  let value: string;
  if (body.startsWith(CDATA_OPEN, at)) {
    const stop = body.indexOf(CDATA_CLOSE, at + CDATA_OPEN.length);
    if (stop === -1 || stop >= end) return { ok: false, code: 'malformed' };
    value = body.slice(at + CDATA_OPEN.length, stop);
    at = stop + CDATA_CLOSE.length;
    while (at < end && /\s/.test(body[at]!)) at += 1;
  } else {
    const lt = body.indexOf('<', from);
    if (lt === -1 || lt >= end) return { ok: false, code: 'malformed' };
    value = body.slice(from, lt).trim();
    at = lt;
  }
  if (body.startsWith(close, at)) return { ok: true, value, next: at + close.length };
  return { ok: false, code: /^<[A-Za-z_]/.test(body.slice(at, at + 2)) ? 'nested_element' : 'malformed' };
}

/** The outer POST body: the ciphertext and who it is for. */
export interface EncryptedEnvelope {
  /** The corp id the callback is addressed to. */
  toUserName?: string;
  agentId?: string;
  /** Base64 ciphertext for `decrypt` (and the fourth value of `msg_signature`). */
  encrypt: string;
}

/** Reads the POST body of a callback; `Encrypt` is required. */
export function readEncryptedEnvelope(text: string, maxChars?: number): CallbackXmlResult<EncryptedEnvelope> {
  const read = readXmlFields(text, maxChars);
  if (!read.ok) return read;
  const encrypt = read.value.get('Encrypt');
  if (!encrypt) return { ok: false, code: 'missing_field', field: 'Encrypt' };
  const toUserName = read.value.get('ToUserName');
  const agentId = read.value.get('AgentID');
  return {
    ok: true,
    value: { encrypt, ...(toUserName ? { toUserName } : {}), ...(agentId ? { agentId } : {}) },
  };
}

/** The decrypted `kf_msg_or_event` notice: it carries no content, only what `sync_msg` needs. */
export interface KfMsgOrEvent {
  toUserName: string;
  /** Unix seconds, when present and numeric. */
  createTime?: number;
  /** The callback token for `sync_msg` (valid 10 minutes). */
  token: string;
  openKfId: string;
}

/** Reads a decrypted callback and accepts only `kf_msg_or_event`. */
export function readKfMsgOrEvent(plaintext: string): CallbackXmlResult<KfMsgOrEvent> {
  const read = readXmlFields(plaintext, 64 * 1024);
  if (!read.ok) return read;
  const fields = read.value;
  const msgType = fields.get('MsgType');
  const event = fields.get('Event');
  if (!msgType || !event) return { ok: false, code: 'missing_field', field: msgType ? 'Event' : 'MsgType' };
  // Other notices (a message to an app, kf_account_auth_change…) can reach the same URL.
  if (msgType !== 'event' || event !== 'kf_msg_or_event') return { ok: false, code: 'unexpected_event', field: 'Event' };
  for (const field of ['ToUserName', 'Token', 'OpenKfId']) {
    if (!fields.get(field)) return { ok: false, code: 'missing_field', field };
  }
  const created = fields.get('CreateTime');
  return {
    ok: true,
    value: {
      toUserName: fields.get('ToUserName')!,
      token: fields.get('Token')!,
      openKfId: fields.get('OpenKfId')!,
      ...(created && /^\d{1,12}$/.test(created) ? { createTime: Number(created) } : {}),
    },
  };
}
