import { isIP } from 'node:net';

/**
 * The visitor's address for the per-IP limits. `trustedProxies` is
 * WEBCHAT_TRUST_PROXY: how many reverse proxies stand between the internet and
 * the desk. With 0 the socket's peer is the visitor (a forged
 * `X-Forwarded-For` changes nothing). With n, each proxy appended the address
 * it saw, so the visitor is the n-th entry from the right (the nearest proxy
 * appended the one before it); entries further left were written by the
 * client and could be forged, so they are never taken. Fewer entries than n
 * (a request that skipped a proxy) take the leftmost one there is; nothing
 * usable keeps the peer.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trustedProxies: number): string {
  const direct = peer ?? 'unknown';
  if (trustedProxies <= 0) return direct;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  const hops = (header ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (!hops.length) return direct;
  const visitor = hops[Math.max(0, hops.length - trustedProxies)]!;
  return isIP(visitor) ? visitor : direct;
}
