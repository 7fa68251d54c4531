import { createHmac } from 'node:crypto';

/**
 * The customer-system side of the generic inbound API (SPEC §4): `POST
 * /api/messages` with `X-Signature: sha256=<hex HMAC-SHA256 of the raw body>`
 * keyed with `INBOUND_API_SECRET`.
 */

/** The `X-Signature` value for `rawBody`: "sha256=" + hex HMAC-SHA256 keyed with `secret`. */
export function signApiBody(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
}

/** How `postApiMessage` signs and serialises. */
export interface PostApiMessageOptions {
  /** Omitted: computed over the raw body. `null`: no header. A string: sent as is. */
  signature?: string | null;
  /** Exact bytes to send instead of `JSON.stringify(body)`. */
  rawBody?: string;
  /** Path under the bot; default `/api/messages` (SPEC §9 signs `/api/security-events` the same way). */
  path?: string;
}

/** What the bot answered. */
export interface ApiAnswer {
  status: number;
  text: string;
}

/** POSTs `body` to `${botBaseUrl}/api/messages`, signed unless told otherwise. */
export async function postApiMessage(
  botBaseUrl: string,
  secret: string,
  body: unknown,
  options: PostApiMessageOptions = {},
): Promise<ApiAnswer> {
  const raw = options.rawBody ?? JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signature = options.signature === undefined ? signApiBody(secret, raw) : options.signature;
  if (signature !== null) headers['x-signature'] = signature;
  const url = `${botBaseUrl.replace(/\/+$/, '')}${options.path ?? '/api/messages'}`;
  const res = await fetch(url, { method: 'POST', headers, body: raw });
  return { status: res.status, text: await res.text() };
}
