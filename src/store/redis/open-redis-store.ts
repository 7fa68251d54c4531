import KeyvRedis, { createClient } from '@keyv/redis';
import Keyv from 'keyv';
import { parseKvRow } from '../kv-row.js';
import { StoreUnavailableError } from '../store-errors.js';
import { redactRedisUrl } from './redact-redis-url.js';
import { RedisStore, type RedisClient } from './redis-store.js';
import { kvNamespace } from './redis-keys.js';

export interface OpenRedisStoreOptions {
  url: string;
  /** Prefix of every key, so deployments and test files can share one Redis. Default `threaddesk:`. */
  prefix?: string;
  /** Upper bound on each operation, in ms. Default 2000. */
  commandTimeoutMs?: number;
  /** How long opening waits for the first connection, in ms. Default 10000. */
  connectTimeoutMs?: number;
  /** Receives connection errors while the client reconnects (for logging). They never throw. */
  onError?: (error: Error) => void;
}

/** Reconnect delays: 100 ms doubling to a 2 s cap, with jitter so replicas do not reconnect in step. */
function reconnectDelay(retries: number): number {
  return Math.min(100 * 2 ** retries, 2_000) + Math.floor(Math.random() * 100);
}

/**
 * Connects to Redis and returns the shared-state store.
 *
 * Outage behaviour: the client never gives up reconnecting (the strategy
 * always returns a delay) and its `error` events go to `onError`, so Redis
 * going away cannot crash the process. There is no offline queue: a command
 * issued while disconnected is rejected at once with `StoreUnavailableError`
 * (never run late, after its caller gave up), and one sent into a connection
 * that stops answering is rejected after `commandTimeoutMs` (see
 * OperationDeadlines); `ping()` rejects at once while disconnected, which is
 * what /readyz wants.
 *
 * @throws StoreUnavailableError (`code: 'store_unavailable'`) when Redis
 *   cannot be reached within `connectTimeoutMs`.
 */
export async function openRedisStore(options: OpenRedisStoreOptions): Promise<RedisStore> {
  const prefix = options.prefix ?? 'threaddesk:';
  const commandTimeoutMs = options.commandTimeoutMs ?? 2_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const where = redactRedisUrl(options.url);
  const onError = options.onError ?? (() => undefined);

  const client: RedisClient = createClient({
    url: options.url,
    socket: { connectTimeout: Math.min(5_000, connectTimeoutMs), reconnectStrategy: reconnectDelay },
    // A command issued while disconnected fails at once (store_unavailable, so the platform retries) instead of waiting to run late.
    disableOfflineQueue: true,
  });
  client.on('error', onError);
  await connectWithin(client, connectTimeoutMs, where);

  const namespace = kvNamespace(prefix);
  const adapter = new KeyvRedis(client, { namespace, throwOnErrors: true, throwOnConnectError: true });
  // keyv re-emits adapter errors; the operation itself rejects, so the event only needs a listener.
  // Rows are read as keyv's own reader reads them, without its per-string callback where no string needs it.
  const keyv = new Keyv({ store: adapter, namespace, useKeyPrefix: false, throwOnErrors: true, deserialize: parseKvRow });
  keyv.on('error', () => undefined);
  return new RedisStore(keyv, client, { prefix, commandTimeoutMs, where });
}

async function connectWithin(client: RedisClient, timeoutMs: number, where: string): Promise<void> {
  let lastError: Error | undefined;
  const recordError = (error: Error) => {
    lastError = error;
  };
  client.on('error', recordError);
  let timer: NodeJS.Timeout | undefined;
  const connecting = client.connect();
  // connect() keeps retrying until it succeeds, so it only settles late if we give up below.
  connecting.catch(() => undefined);
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    if ((await Promise.race([connecting, timedOut])) !== 'timeout') return;
  } catch (error) {
    lastError = error as Error;
  } finally {
    clearTimeout(timer);
    client.off('error', recordError);
  }
  client.destroy();
  const cause = lastError ? ` Last error: ${lastError.message || lastError.constructor.name}.` : '';
  throw new StoreUnavailableError(
    `Could not connect to Redis at ${where} within ${timeoutMs / 1000} s.${cause} ` +
      'Check REDIS_URL and that Redis is running and reachable from this host; unset REDIS_URL to use the embedded store in DATA_DIR instead.',
    { cause: lastError },
  );
}
