import { createClient } from '@keyv/redis';
import { redactRedisUrl } from './redact-redis-url.js';

/** One connection and a PING, no retries (`threaddesk doctor`): reachable, or why not. */
export async function pingRedis(url: string, timeoutMs: number): Promise<{ ok: true } | { ok: false; reason: string }> {
  const client = createClient({ url, socket: { connectTimeout: timeoutMs, reconnectStrategy: false } });
  // Errors are reported by the awaited calls below; the event would otherwise throw.
  client.on('error', () => {});
  try {
    await client.connect();
    const pong = await client.ping();
    return pong === 'PONG' ? { ok: true } : { ok: false, reason: `PING answered ${String(pong)}` };
  } catch (err) {
    return { ok: false, reason: `${redactRedisUrl(url)}: ${(err as Error).message}` };
  } finally {
    if (client.isOpen) client.destroy();
  }
}
