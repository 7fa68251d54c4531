import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { originAllowed, type OriginPattern } from './origins.js';

/** The frame is served from the bot's own origin; a site may also connect directly from an allowed origin. */
export function socketOriginAllowed(req: IncomingMessage, origins: readonly OriginPattern[]): boolean {
  const origin = req.headers.origin;
  return sameOrigin(origin, req.headers.host) || originAllowed(origin, origins);
}

function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin || !host) return false;
  try { return new URL(origin).host === host; } catch { return false; }
}

/** Answers an upgrade request with a plain HTTP status and closes it. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
