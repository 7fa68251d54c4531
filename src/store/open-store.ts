import { mkdir } from 'node:fs/promises';
import type { StorePort } from '../core/ports.js';
import { openEmbeddedStore } from './embedded/open-embedded-store.js';
import { openRedisStore } from './redis/open-redis-store.js';

/** Where the store lives. */
export interface OpenStoreOptions {
  /** Directory of the embedded store; created if missing. Unused when `redisUrl` is set. */
  dataDir: string;
  /** When set, state lives in this Redis and any number of replicas can share it. */
  redisUrl?: string;
  /** Redis key prefix (default `threaddesk:`), so several deployments or test files can share one Redis. */
  prefix?: string;
  /** Redis tuning: per-operation bound (default 2000 ms), first-connection wait (default 10000 ms), error sink. */
  redis?: {
    commandTimeoutMs?: number;
    connectTimeoutMs?: number;
    onError?: (error: Error) => void;
  };
}

/**
 * Opens the store: Redis when `redisUrl` is set, otherwise the embedded store
 * in `dataDir` (created if missing).
 *
 * @throws DataDirLockedError (`data_dir_locked`) when another process owns `dataDir`.
 * @throws StoreUnavailableError (`store_unavailable`) when Redis cannot be reached.
 */
export async function openStore(options: OpenStoreOptions): Promise<StorePort> {
  if (options.redisUrl) {
    return openRedisStore({ url: options.redisUrl, prefix: options.prefix, ...options.redis });
  }
  await mkdir(options.dataDir, { recursive: true });
  return openEmbeddedStore(options.dataDir);
}
