import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../runtime/logger.js';
import type { Metrics } from '../runtime/metrics.js';
import { json, type HttpRequest, type HttpResponse, type Route } from './types.js';

/** SPEC §10: bodies over 1 MiB are refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The bot's one HTTP server: webhooks of every channel and messenger, health
 * and metrics. Reads and size-checks the body, routes by method and path,
 * answers 404/405/413 itself, and turns any thrown error into a 500 with a
 * reference id that is also in the log, never a crash.
 */
export function createHttpServer(routes: readonly Route[], log: Logger, metrics: Metrics): http.Server {
  const server = http.createServer((req, res) => {
    const requestId = randomBytes(6).toString('hex');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const onPath = routes.filter((r) => r.path === url.pathname);
    const send = (r: HttpResponse) => {
      if (res.headersSent) return;
      res.writeHead(r.status, { 'x-request-id': requestId, ...(r.headers ?? {}) });
      res.end(r.body);
      metrics.inc('http_responses_total', { route: onPath.length ? url.pathname : 'other', status: String(r.status) });
    };
    if (!onPath.length) { log.info({ requestId, method, path: url.pathname }, 'no such route'); send(json(404, { error: 'not_found', message: `No route ${url.pathname}.` })); req.resume(); return; }
    const route = onPath.find((r) => r.method === method);
    if (!route) {
      const allow = onPath.map((r) => r.method).join(', ');
      log.info({ requestId, method, path: url.pathname }, 'wrong method');
      send(json(405, { error: 'method_not_allowed', message: `Use ${allow} for ${url.pathname}.` }, { allow }));
      req.resume();
      return;
    }
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > MAX_BODY_BYTES) {
      log.warn({ requestId, path: url.pathname, bytes: declared }, 'body too large');
      send(json(413, { error: 'payload_too_large', message: `Bodies are limited to ${MAX_BODY_BYTES} bytes.` }, { connection: 'close' }));
      req.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let aborted = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES && !aborted) {
        aborted = true;
        log.warn({ requestId, path: url.pathname }, 'body too large (streamed)');
        send(json(413, { error: 'payload_too_large', message: `Bodies are limited to ${MAX_BODY_BYTES} bytes.` }, { connection: 'close' }));
        req.destroy();
        return;
      }
      if (!aborted) chunks.push(chunk);
    });
    req.on('error', () => { aborted = true; });
    req.on('end', () => {
      if (aborted) return;
      const request: HttpRequest = { method, path: url.pathname, query: url.searchParams, headers: req.headers, rawBody: Buffer.concat(chunks), requestId };
      route.handler(request).then(send, (err: unknown) => {
        log.error({ requestId, path: url.pathname, err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) }, 'request failed');
        send(json(500, { error: 'internal_error', message: `Something went wrong; reference ${requestId} is in the bot's log. The sender may retry.`, reference: requestId }));
      });
    });
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  return server;
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
