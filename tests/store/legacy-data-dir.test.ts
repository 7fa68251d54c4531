import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { StorePort } from '../../src/core/ports.js';
import { SQLITE_FILE_NAME } from '../../src/store/embedded/sqlite-schema.js';
import { openStore } from '../../src/store/open-store.js';

/** Made by fixtures/make-legacy-data-dir.ts with the keyv + @keyv/sqlite + sqlite3 store. */
const LEGACY_FILE = fileURLToPath(new URL('./fixtures/legacy-data-dir/threaddesk.sqlite', import.meta.url));

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** Opens a copy of the legacy file, so the committed fixture is never written. */
async function openLegacyCopy(): Promise<StorePort> {
  const dataDir = await mkdtemp(join(tmpdir(), 'threaddesk-legacy-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  await copyFile(LEGACY_FILE, join(dataDir, SQLITE_FILE_NAME));
  return open(dataDir);
}

async function open(dataDir: string): Promise<StorePort> {
  const store = await openStore({ dataDir });
  cleanups.push(() => store.close());
  return store;
}

describe('an install upgraded from the keyv + sqlite3 embedded store', () => {
  it('reads every KV value keyv wrote, with and without TTL, and an expired one as absent', async () => {
    const store = await openLegacyCopy();
    expect(await store.get('conversation:c-1')).toEqual({
      id: 'c-1',
      status: 'claimed',
      by: 'ana',
      tags: ['vip'],
      note: ':colon first',
      at: 12.5,
    });
    expect(await store.get('greeting')).toBe(':starts with a colon');
    expect(await store.get('count')).toBe(42);
    expect(await store.get('flag')).toBe(false);
    expect(await store.get('nothing')).toBeNull();
    expect(await store.get('list-value')).toEqual(['a', ':b', { c: null }]);
    expect(await store.get('lives-long')).toEqual({ ttl: 'century' });
    expect(await store.get('expired')).toBeUndefined();
    expect(await store.getMany(['greeting', 'expired', 'count', 'missing'])).toEqual([
      ':starts with a colon',
      undefined,
      42,
      undefined,
    ]);
    expect(await store.delete('expired')).toBe(false);
    expect(await store.delete('count')).toBe(true);
    expect(await store.get('count')).toBeUndefined();
  });

  it('reads its atomic keys, list and set, frees the dead process\'s short lock, and writes on after them', async () => {
    const store = await openLegacyCopy();
    expect(await store.getString('leader')).toBe('replica-1');
    expect(await store.getString('lease:c-1')).toBe('ana');
    expect(await store.setIfAbsent('lease:c-1', 'bob')).toBe(false);
    expect(await store.getString('dedupe:expired')).toBeUndefined();
    expect(await store.setIfAbsent('dedupe:expired', 'again')).toBe(true);
    expect(await store.setIfAbsent('lock:conv-of:whatsapp:1:491', 'mine', 5000)).toBe(true);
    expect(await store.range('transcript:c-1', 0, -1)).toEqual(['how can I help?', 'thanks']);
    expect(await store.push('transcript:c-1', 'bye')).toBe(3);
    expect(await store.range('transcript:c-1', -1, -1)).toEqual(['bye']);
    expect((await store.members('lanes')).sort()).toEqual(['slack:C1', 'telegram:-100']);
  });

  it('keeps values written over legacy ones, and the legacy ones, after close and reopen', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'threaddesk-legacy-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    await copyFile(LEGACY_FILE, join(dataDir, SQLITE_FILE_NAME));
    const first = await openStore({ dataDir });
    await first.set('greeting', ':new', 60_000);
    await first.push('transcript:c-1', 'bye');
    await first.close();
    const second = await open(dataDir);
    expect(await second.get('greeting')).toBe(':new');
    expect(await second.get('lives-long')).toEqual({ ttl: 'century' });
    expect(await second.range('transcript:c-1', 0, -1)).toEqual(['how can I help?', 'thanks', 'bye']);
  });

  it('writes KV rows as keyv did, so the rows stay one format whichever version wrote them', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'threaddesk-legacy-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const store = await openStore({ dataDir });
    await store.set('greeting', ':colon first');
    await store.set('conversation:c-2', { id: 'c-2', tags: [':x'] }, 60_000);
    await store.set('kv:already-prefixed', 1);
    await store.close();
    const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
    try {
      const rows = db.prepare<[], { key: string; value: string }>('SELECT key, value FROM kv ORDER BY rowid').all();
      expect(rows.map((row) => row.key)).toEqual(['kv:greeting', 'kv:conversation:c-2', 'kv:already-prefixed']);
      expect(rows[0]!.value).toBe('{"value":"::colon first"}');
      expect(rows[1]!.value).toMatch(/^\{"value":\{"id":"c-2","tags":\["::x"\]\},"expires":\d{13}\}$/);
      expect(rows[2]!.value).toBe('{"value":1}');
    } finally {
      db.close();
    }
  });

  it('gains the sorted-set table on a DATA_DIR written before sorted sets existed, keeping its data', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'threaddesk-legacy-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const first = await openStore({ dataDir });
    await first.addMember('lanes', 'slack:C1');
    await first.close();
    // What that DATA_DIR looked like: the same file without the sorted-set table and its index.
    const db = new Database(join(dataDir, SQLITE_FILE_NAME));
    db.exec('DROP TABLE sorted_members');
    const tables = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE name LIKE 'sorted%'").pluck().all();
    db.close();
    expect(tables).toEqual([]);
    const second = await open(dataDir);
    expect(await second.members('lanes')).toEqual(['slack:C1']);
    await second.zAdd('timers', 'sla-first:c-1', 1000);
    expect(await second.zRangeByScore('timers', 0, 2000)).toEqual([{ member: 'sla-first:c-1', score: 1000 }]);
  });
});
