import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** A request as routes see it: the raw body is read (and size-checked) before any route runs. */
export interface HttpRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** The query as sent, without the leading `?` (signed GETs sign it). */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** Short id echoed in logs and error bodies, so an operator can find the log line. */
  requestId: string;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  /** A stream is piped as it comes (an agent's file passed through, never held whole). */
  body?: string | Buffer | ReadableStream<Uint8Array>;
}

export type RouteHandler = (req: HttpRequest) => Promise<HttpResponse>;

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  handler: RouteHandler;
  /** A larger body than the server's 1 MiB for this route only (web chat uploads). */
  maxBodyBytes?: number;
}

/**
 * A path that takes HTTP upgrades (a WebSocket) on the one server: the route
 * gets Node's raw `upgrade` arguments and owns the socket from then on.
 */
export interface UpgradeRoute {
  path: string;
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

export const text = (status: number, body: string, headers: Record<string, string> = {}): HttpResponse => ({
  status, body, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
});

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status, body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers },
});
