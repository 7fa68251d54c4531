import { json, type HttpRequest, type HttpResponse } from '../../http/types.js';

/** Names this machine answers to; any other Host is a page elsewhere reaching in (DNS rebinding). */
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function hostnameOf(host: string): string | undefined {
  try { return new URL(`http://${host}`).hostname; } catch { return undefined; }
}

/**
 * The sandbox page acts as an admin of the desk with no login: it answers
 * only a browser on this machine. Every request must name this machine as
 * its Host; a change (POST) must also come from the page's own origin as JSON,
 * which a page of another site cannot send without the browser asking first.
 * Undefined when the request may go on; otherwise the refusal, saying why.
 */
export function refuseUnlessLocal(req: HttpRequest, change: boolean): HttpResponse | undefined {
  const host = one(req.headers.host);
  const name = host ? hostnameOf(host) : undefined;
  if (!host || !name || !LOCAL_HOSTS.has(name)) {
    return json(403, { error: 'not_local', message: 'The sandbox answers a browser on this machine only: open http://127.0.0.1:<port>/sandbox/ there.' });
  }
  if (!change) return undefined;
  const origin = one(req.headers.origin);
  let sameOrigin = false;
  try { sameOrigin = origin !== undefined && new URL(origin).host === host; } catch { sameOrigin = false; }
  if (!sameOrigin) return json(403, { error: 'origin_refused', message: 'Changes come from the sandbox page itself (same origin).' });
  if (!/^application\/json\b/i.test(one(req.headers['content-type']) ?? '')) {
    return json(415, { error: 'json_only', message: 'Send the change as JSON (content-type: application/json).' });
  }
  return undefined;
}

/** The JSON body, or undefined when it is not JSON at all. */
export function readJson(req: HttpRequest): unknown {
  try { return JSON.parse(req.rawBody.toString('utf8')); } catch { return undefined; }
}
