import { isIP } from 'node:net';

/** Loopback and private (RFC 1918, RFC 4193, link-local) peers: where a reverse proxy in front of the desk sits. */
function isPrivate(address: string): boolean {
  const a = address.replace(/^::ffff:/, '');
  return /^(127\.|10\.|192\.168\.|169\.254\.)/.test(a) || /^172\.(1[6-9]|2\d|3[01])\./.test(a)
    || a === '::1' || /^f[cd][0-9a-f]{2}:/i.test(a) || /^fe80:/i.test(a);
}

/**
 * The visitor's address for the per-IP limits. Behind a reverse proxy every
 * socket comes from the proxy, which would make all visitors share one limit;
 * so when the peer is loopback or private, the last `X-Forwarded-For` entry
 * (the one that proxy appended: the address it saw) is taken instead. A peer
 * on the public internet is taken as it is: its own header could be forged.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined): string {
  const direct = peer ?? 'unknown';
  if (!isPrivate(direct)) return direct;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  const last = header?.split(',').map((s) => s.trim()).filter(Boolean).pop();
  return last && isIP(last) ? last : direct;
}
