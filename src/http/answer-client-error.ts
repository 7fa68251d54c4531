import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../runtime/logger.js';

/** Node's parser errors that have a more precise status than 400. */
const STATUS_BY_CODE: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
  HPE_HEADERS_TIMEOUT: 408,
};

/**
 * A request Node's HTTP parser refused (malformed request line, header,
 * chunk framing…) never reaches a route: it is answered 4xx on the raw socket
 * and the connection closed, as Node's default does, but with a log line
 * (at debug: garbage traffic must not flood the log).
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex, log: Logger): void {
  log.debug({ code: err.code }, 'malformed request refused');
  // A response already on its way on this socket must not get a second status line.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const status = (err.code && Object.hasOwn(STATUS_BY_CODE, err.code) ? STATUS_BY_CODE[err.code] : undefined) ?? 400;
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
