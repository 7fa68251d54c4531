import { randomBytes } from 'node:crypto';
import { createClient } from '@keyv/redis';

/**
 * Vitest's global setup: every Redis key prefix the tests make starts with
 * `td-test-<run>-` (TD_TEST_RUN, set here before the test processes fork), so
 * at the end this run deletes exactly its own keys, bottleneck's `b_…` copies
 * included, and never another run's that shares the machine's Redis. Keys a
 * killed run left behind get a day's TTL instead of living forever.
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const LEFTOVER_TTL_SECONDS = 24 * 3600;

export function setup(): void {
  process.env.TD_TEST_RUN ??= randomBytes(4).toString('hex');
}

export async function teardown(): Promise<void> {
  const run = process.env.TD_TEST_RUN;
  const client = createClient({ url: REDIS_URL, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  client.on('error', () => undefined);
  try { await client.connect(); } catch { return; } // no Redis: the Redis tests said so already
  try {
    for (const pattern of [`td-test-${run}-*`, `b_td-test-${run}-*`]) {
      for await (const keys of client.scanIterator({ MATCH: pattern, COUNT: 1000 })) if (keys.length) await client.unlink(keys);
    }
    for (const pattern of ['td-*', 'b_td-*', 'threaddesk-test:*', 'b_threaddesk-test*']) {
      for await (const keys of client.scanIterator({ MATCH: pattern, COUNT: 1000 })) {
        for (const key of keys) if ((await client.ttl(key)) === -1) await client.expire(key, LEFTOVER_TTL_SECONDS);
      }
    }
  } finally {
    client.destroy();
  }
}

/** The prefix of a Redis key space for one test (unique, under this run's, so the teardown deletes it). */
export function testRedisPrefix(label?: string): string {
  return `td-test-${process.env.TD_TEST_RUN ?? 'solo'}-${label ? `${label}-` : ''}${randomBytes(4).toString('hex')}:`;
}
