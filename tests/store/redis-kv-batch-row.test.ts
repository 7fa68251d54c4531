import { createClient } from '@keyv/redis';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorePort } from '../../src/core/ports.js';
import { openStore } from '../../src/store/open-store.js';
import { deleteRedisKeys, randomPrefix, REDIS_URL } from './store-harnesses.js';

/**
 * On Redis a batch's `setValue` is a SET in the MULTI, written by our code
 * rather than by keyv: the row must be the one keyv's `set` writes (key,
 * envelope, expiry), or records written by the intake's batch and by `save`
 * would differ (and an older replica would misread them).
 */
describe('a KV record written by a Redis batch', () => {
  const prefix = randomPrefix();
  const raw = createClient({ url: REDIS_URL });
  let store: StorePort;

  beforeAll(async () => {
    raw.on('error', () => undefined);
    await raw.connect();
    store = await openStore({ dataDir: join(tmpdir(), 'unused'), redisUrl: REDIS_URL, prefix });
  });

  afterAll(async () => {
    await store?.close();
    raw.destroy();
    await deleteRedisKeys(prefix);
  });

  it('is byte for byte the row keyv writes for set, under the same key, with the same expiry', async () => {
    const value = { id: 'c1', text: ':colon first', list: [':a', 'b'], n: 1.5, none: null };
    await store.set('by-set', value);
    await store.writeAtomically([{ kind: 'setValue', key: 'by-batch', value }]);
    const bySet = await raw.get(`${prefix}kv::by-set`);
    expect(bySet).toContain('"value"');
    expect(await raw.get(`${prefix}kv::by-batch`)).toBe(bySet);
    expect(await raw.pTTL(`${prefix}kv::by-batch`)).toBe(-1);

    await store.set('ttl-by-set', value, 60_000);
    await store.writeAtomically([{ kind: 'setValue', key: 'ttl-by-batch', value, ttlMs: 60_000 }]);
    const [a, b] = [await raw.get(`${prefix}kv::ttl-by-set`), await raw.get(`${prefix}kv::ttl-by-batch`)];
    const expires = (row: string | null) => (JSON.parse(row!) as { expires: number }).expires;
    expect(a!.replace(/"expires":\d+/, '')).toBe(b!.replace(/"expires":\d+/, ''));
    expect(Math.abs(expires(a) - expires(b))).toBeLessThan(5_000);
    expect(await raw.pTTL(`${prefix}kv::ttl-by-batch`)).toBeGreaterThan(50_000);
  });
});
