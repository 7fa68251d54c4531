import type { z } from 'zod';
import { jsonTooDeep, MAX_JSON_DEPTH } from '../../http/json-depth.js';
import { json, type HttpRequest, type HttpResponse } from '../../http/types.js';
import type { Logger } from '../../runtime/logger.js';
import { verifyHmacSha256 } from '../verify-hmac.js';

/**
 * The project's own signed endpoints (`/api/messages`, `/api/security-events`):
 * `X-Signature` checked before anything is parsed (401), then JSON (400; also
 * when nested deeper than MAX_JSON_DEPTH, found before anything recurses),
 * then the schema (422 naming every wrong field). Every refusal is logged.
 */
export function readSignedBody<S extends z.ZodType>(req: HttpRequest, secret: string, schema: S, log: Logger, what: string): { ok: true; value: z.infer<S> } | { ok: false; response: HttpResponse } {
  if (!verifyHmacSha256(secret, req.rawBody, req.headers['x-signature'])) {
    log.warn({ hasSignature: Boolean(req.headers['x-signature']) }, `${what} with a bad signature refused`);
    return { ok: false, response: json(401, { error: 'invalid_signature', message: 'X-Signature must be sha256=<hex HMAC-SHA256 of the raw body with the shared secret>.' }) };
  }
  if (jsonTooDeep(req.rawBody)) {
    log.warn(`signed ${what} nests too deep`);
    return { ok: false, response: json(400, { error: 'json_too_deep', message: `JSON objects and arrays may nest at most ${MAX_JSON_DEPTH} levels deep.` }) };
  }
  let body: unknown;
  try { body = JSON.parse(req.rawBody.toString('utf8')); } catch {
    log.warn(`signed ${what} is not JSON`);
    return { ok: false, response: json(400, { error: 'invalid_json', message: 'The body must be JSON.' }) };
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`);
    log.info({ problems }, `${what} refused`);
    return { ok: false, response: json(422, { error: 'invalid_body', problems }) };
  }
  return { ok: true, value: parsed.data };
}
