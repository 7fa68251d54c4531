import type { createClient } from '@keyv/redis';

/** The node-redis v5 client @keyv/redis is built on. */
export type RedisClient = ReturnType<typeof createClient>;

/** SET's expiry option: `PX ttl` when a TTL is given, none otherwise. */
export function pxExpiry(ttl: number | undefined): { expiration?: { type: 'PX'; value: number } } {
  return ttl === undefined ? {} : { expiration: { type: 'PX', value: ttl } };
}
