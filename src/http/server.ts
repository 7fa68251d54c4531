import http from 'node:http';
import { Readable, type Duplex } from 'node:stream';
import { randomHex } from '../runtime/random-hex.js';
import type { Logger } from '../runtime/logger.js';
import type { Metrics } from '../runtime/metrics.js';
import { answerClientError } from './answer-client-error.js';
import { parseRequestTarget } from './parse-target.js';
import { json, type HttpRequest, type HttpResponse, type Route, type UpgradeRoute } from './types.js';

/** SPEC §10: bodies over 1 MiB are refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

const tooLarge = (limit: number) => json(413, { error: 'payload_too_large', message: `Bodies are limited to ${limit} bytes.` }, { connection: 'close' });

/**
 * The bot's one HTTP server: webhooks of every channel and messenger, health
 * and metrics. Reads and size-checks the body, routes by method and path,
 * answers 400/404/405/413 itself. No request can stop the process (SPEC §10):
 * a target `URL` cannot read is a 400, a malformed request line or header a
 * 4xx (`answerClientError`), and whatever throws while one request is handled,
 * synchronously or not, becomes a 500 with a reference id that is also in the
 * log.
 */
export function createHttpServer(routes: readonly Route[], log: Logger, metrics: Metrics): http.Server {
  const server = http.createServer((req, res) => {
    const requestId = randomHex(6);
    const failed = requestFailed(req, res, requestId, log, metrics);
    try {
      handle(req, res, requestId, routes, log, metrics, failed);
    } catch (err) {
      failed(err);
    }
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => answerClientError(err, socket, log));
  return server;
}

type Failed = (err: unknown) => void;

function handle(req: http.IncomingMessage, res: http.ServerResponse, requestId: string, routes: readonly Route[], log: Logger, metrics: Metrics, failed: Failed): void {
  const method = req.method ?? 'GET';
  const parsed = parseRequestTarget(req.url);
  if (!parsed.ok) {
    log.info({ requestId, method }, 'request target refused');
    write(res, requestId, json(400, { error: 'bad_request_target', message: parsed.reason }));
    metrics.inc('http_responses_total', { route: 'other', status: '400' });
    req.resume();
    return;
  }
  const { path, query, rawQuery } = parsed.target;
  const onPath = routes.filter((r) => r.path === path);
  const send = (r: HttpResponse) => {
    if (res.headersSent || res.destroyed) return;
    try {
      write(res, requestId, r);
    } catch (err) {
      // A response the route built wrong (e.g. a header value Node refuses) is a fault of ours.
      failed(err);
      return;
    }
    metrics.inc('http_responses_total', { route: onPath.length ? path : 'other', status: String(r.status) });
  };
  if (!onPath.length) {
    log.info({ requestId, method, path }, 'no such route');
    send(json(404, { error: 'not_found', message: `No route ${path}.` }));
    req.resume();
    return;
  }
  const route = onPath.find((r) => r.method === method);
  if (!route) {
    const allow = onPath.map((r) => r.method).join(', ');
    log.info({ requestId, method, path }, 'wrong method');
    send(json(405, { error: 'method_not_allowed', message: `Use ${allow} for ${path}.` }, { allow }));
    req.resume();
    return;
  }
  const limit = route.maxBodyBytes ?? MAX_BODY_BYTES;
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) {
    log.warn({ requestId, path, bytes: declared }, 'body too large');
    send(tooLarge(limit));
    req.destroy();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let aborted = false;
  req.on('data', (chunk: Buffer) => {
    if (aborted) return;
    size += chunk.length;
    if (size > limit) {
      aborted = true;
      log.warn({ requestId, path }, 'body too large (streamed)');
      send(tooLarge(limit));
      req.destroy();
      return;
    }
    chunks.push(chunk);
  });
  req.on('error', () => { aborted = true; });
  req.on('end', () => {
    if (aborted) return;
    const request: HttpRequest = { method, path, query, rawQuery, headers: req.headers, rawBody: Buffer.concat(chunks), requestId };
    // Through a promise, so a handler that throws before its first await is caught like one that rejects.
    Promise.resolve()
      .then(() => route.handler(request))
      .then(send)
      .catch(failed);
  });
}

/**
 * Faults that pass by themselves, by their stable code: the store is away or
 * closing, a record's lock stayed busy, or an earlier attempt of the same
 * delivery is still being processed. Answered 503 with Retry-After and a
 * warning, so the platform redelivers later, instead of a 500 and a stack.
 */
const TRANSIENT_FAULTS = new Set(['store_unavailable', 'store_closed', 'lock_timeout', 'delivery_in_flight']);

function isTransient(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_FAULTS.has(code);
}

/** The 500 (or, for a transient fault, 503) of the error boundary: logged with the reference the client is given. */
function requestFailed(req: http.IncomingMessage, res: http.ServerResponse, requestId: string, log: Logger, metrics: Metrics): Failed {
  return (err) => {
    const transient = isTransient(err);
    const inProgress = (err as { code?: unknown } | null)?.code === 'delivery_in_flight';
    if (inProgress) log.info({ requestId, method: req.method }, 'an earlier delivery of this request is still being processed; the sender is asked to retry later');
    else if (transient) log.warn({ requestId, method: req.method, code: (err as { code: string }).code, err: String(err) }, 'request failed on a passing fault; the sender is asked to retry');
    else log.error({ requestId, method: req.method, err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) }, 'request failed');
    metrics.inc('http_responses_total', { route: 'error', status: transient ? '503' : '500' });
    if (res.headersSent || res.destroyed) { res.destroy(); return; }
    try {
      write(res, requestId, inProgress
        ? json(503, { error: 'in_progress', message: `An earlier delivery of this request is still being processed; retry later (reference ${requestId}).`, reference: requestId }, { 'retry-after': '5' })
        : transient
        ? json(503, { error: 'temporarily_unavailable', message: `Storage is briefly unavailable; retry shortly (reference ${requestId}).`, reference: requestId }, { 'retry-after': '5' })
        : json(500, { error: 'internal_error', message: `Something went wrong; reference ${requestId} is in the bot's log. The sender may retry.`, reference: requestId }));
    } catch {
      res.destroy();
    }
  };
}

function write(res: http.ServerResponse, requestId: string, r: HttpResponse): void {
  res.writeHead(r.status, { 'x-request-id': requestId, ...r.headers });
  // A streamed body (an agent's file passed through) goes as it comes; a broken source ends the response.
  if (r.body instanceof ReadableStream) Readable.from(r.body).on('error', () => res.destroy()).pipe(res);
  else res.end(r.body);
}

/**
 * Hands HTTP upgrades (WebSockets) to the route registered for their path;
 * any other upgrade is answered 404 and closed. A route that throws costs
 * that one socket, never the process.
 */
export function attachUpgrades(server: http.Server, upgrades: readonly UpgradeRoute[], log: Logger): void {
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const parsed = parseRequestTarget(req.url);
    const route = parsed.ok ? upgrades.find((u) => u.path === parsed.target.path) : undefined;
    if (!route) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    try {
      route.handle(req, socket, head);
    } catch (err) {
      log.error({ path: route.path, err: String(err) }, 'upgrade failed');
      socket.destroy();
    }
  });
}

/** Starts listening; resolves with the port actually bound (0 picks a free one). */
export function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}

export type { HttpRequest };
