import { testRedisPrefix } from '../support/redis-test-keys.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@keyv/redis';
import type { StorePort } from '../../src/core/ports.js';
import { openStore } from '../../src/store/open-store.js';

/** The machine's shared Redis. Tests never flush or stop it: each file works under its own prefix. */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test file or deployment uses. */
export function randomPrefix(): string {
  return testRedisPrefix();
}

/** Deletes every key under `prefix` (SCAN, never FLUSHDB: others share this Redis). */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const client = createClient({ url: REDIS_URL });
  client.on('error', () => undefined);
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
      if (keys.length > 0) await client.del(keys);
    }
  } finally {
    client.destroy();
  }
}

/** Opens stores of one kind for the contract suite and removes what they left behind. */
export interface StoreHarness {
  name: 'embedded' | 'redis';
  open(): Promise<StorePort>;
  cleanup(): Promise<void>;
}

/** Each `open()` gets a fresh temporary DATA_DIR. */
export function embeddedHarness(): StoreHarness {
  const dirs: string[] = [];
  return {
    name: 'embedded',
    async open() {
      const dir = await mkdtemp(join(tmpdir(), 'threaddesk-store-'));
      dirs.push(dir);
      return openStore({ dataDir: dir });
    },
    async cleanup() {
      await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

/** Every `open()` shares one random prefix on the local Redis; `cleanup()` deletes its keys. */
export function redisHarness(): StoreHarness {
  const prefix = randomPrefix();
  return {
    name: 'redis',
    open: () => openStore({ dataDir: join(tmpdir(), 'unused'), redisUrl: REDIS_URL, prefix }),
    cleanup: () => deleteRedisKeys(prefix),
  };
}
