import http from 'node:http';
import https from 'node:https';

/** The request fields an SDK's pluggable `fetch` passes (the Slack WebClient's `FetchRequestInit`). */
export interface LightRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | FormData;
  redirect?: 'error' | 'follow' | 'manual';
  signal?: AbortSignal;
  /**
   * Our own callers' deadline for the whole call, answer read: a plain timer,
   * several times cheaper than an `AbortSignal.timeout` (about 40 µs of CPU
   * a call on Node 20). It fails with a `TimeoutError`, as that signal does.
   */
  timeoutMs?: number;
}

/** The part of a WHATWG `Response` such an SDK reads. */
export interface LightResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null; entries(): IterableIterator<[string, string]> };
  arrayBuffer(): Promise<ArrayBuffer>;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

/**
 * How long a kept-alive connection may idle before this client gives it up,
 * unless the server announces less (`Keep-Alive: timeout=N`: then N − 1 s).
 * A server closes an idle connection after its own timeout (Node's: 5 s), and
 * a call that takes the connection while that close is on its way fails with
 * ECONNRESET; under load, with the close unread behind a busy turn, that
 * happened twice in one run of the replicas benchmark, ~170,000 webhooks
 * (bench/README.md "throughput-replicas").
 * Node 20's agent applies the server's hint only when it has a `timeout` of
 * its own, hence this one; on a connection that is in use it only notifies
 * (no listener here: our deadlines are `timeoutMs` and `signal`).
 */
const IDLE_MS = 4000;
const AGENT_OPTIONS = { keepAlive: true, timeout: IDLE_MS } as const;

/**
 * A keep-alive agent for `url`'s protocol that gives up idle connections as
 * above: for SDKs that take an agent rather than a `fetch` (grammY's client).
 */
export function keepAliveAgent(url: string): http.Agent {
  return url.startsWith('https:') ? new https.Agent(AGENT_OPTIONS) : new http.Agent(AGENT_OPTIONS);
}

/**
 * A `fetch` for SDKs that take one (the Slack WebClient's `fetch` option):
 * requests with a string body (JSON or form-encoded, what Web API calls send)
 * or none go over `node:http`/`node:https` with a keep-alive agent, and their
 * answer is read whole; anything else (multipart uploads, redirects to follow)
 * goes to the global `fetch`. Node's `fetch` runs every call through undici's
 * web streams, and through whichever undici a dependency installed as the
 * global dispatcher (@discordjs/rest loads its own on import): about 1 ms of
 * CPU per call under load, several times what this costs.
 *
 * `redirect: 'error'` rejects on a 3xx answer, as fetch does; `signal` aborts
 * the request (the SDK's timeout); so does `timeoutMs` when it runs out.
 */
export function keepAliveFetch(): (url: string | URL, init?: LightRequestInit) => Promise<LightResponse> {
  const agents = { http: keepAliveAgent('http:'), https: keepAliveAgent('https:') };
  return (url, init = {}) => {
    const { body, redirect = 'follow' } = init;
    if ((body !== undefined && typeof body !== 'string') || redirect === 'follow') {
      return fetch(url, init.timeoutMs !== undefined && !init.signal ? { ...init, signal: AbortSignal.timeout(init.timeoutMs) } : init);
    }
    const target = typeof url === 'string' ? new URL(url) : url;
    const secure = target.protocol === 'https:';
    const headers: Record<string, string | number> = { ...init.headers };
    if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
    return new Promise<LightResponse>((settle, fail) => {
      let timer: NodeJS.Timeout | undefined;
      const resolve = (res: LightResponse) => { clearTimeout(timer); settle(res); };
      const reject = (err: unknown) => { clearTimeout(timer); fail(err); };
      const request = (secure ? https : http).request(target, {
        method: init.method ?? 'GET', headers, agent: secure ? agents.https : agents.http, ...(init.signal ? { signal: init.signal } : {}),
      }, (res) => {
        const status = res.statusCode ?? 0;
        if (redirect === 'error' && status >= 300 && status < 400) {
          res.resume();
          reject(new TypeError(`fetch failed: ${target.href} answered ${status} (a redirect) and redirects were refused`));
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => resolve(lightResponse(target.href, status, res.statusMessage ?? '', res.headers, Buffer.concat(chunks))));
      });
      request.on('error', reject);
      if (init.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          const err = new DOMException(`The operation was aborted due to timeout (no answer from ${target.host} within ${init.timeoutMs} ms)`, 'TimeoutError');
          reject(err);
          request.destroy(err);
        }, init.timeoutMs);
      }
      request.end(body);
    });
  };
}

function lightResponse(url: string, status: number, statusText: string, raw: http.IncomingHttpHeaders, body: Buffer): LightResponse {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(raw)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText,
    url,
    headers: { get: (name) => headers.get(name.toLowerCase()) ?? null, entries: () => headers.entries() },
    arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
    json: async () => JSON.parse(body.toString('utf8')) as unknown,
    text: async () => body.toString('utf8'),
  };
}
