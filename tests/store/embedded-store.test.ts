import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { StorePort } from '../../src/core/ports.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { LOCK_FILE_NAME } from '../../src/store/embedded/lock-data-dir.js';
import { SQLITE_FILE_NAME } from '../../src/store/embedded/sqlite-schema.js';
import { openStore } from '../../src/store/open-store.js';
import { CHILD_ITEMS, exited, firstLine, startStoreChild } from './run-child.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'threaddesk-embedded-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function open(dataDir: string): Promise<StorePort> {
  const store = await openStore({ dataDir });
  cleanups.push(() => store.close());
  return store;
}

/** Counts rows straight from the SQLite file (the store must be closed). */
async function countRows(dataDir: string, table: string): Promise<number> {
  const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
  try {
    return db.prepare<[], number>(`SELECT COUNT(*) FROM ${table}`).pluck().get()!;
  } finally {
    db.close();
  }
}

describe('the embedded store on disk', () => {
  it('creates DATA_DIR when it is missing and keeps one SQLite file and the lock in it', async () => {
    const dataDir = join(await tempDir(), 'nested', 'data');
    const store = await open(dataDir);
    await store.set('k', 'v');
    expect(store.kind).toBe('embedded');
    expect(existsSync(join(dataDir, SQLITE_FILE_NAME))).toBe(true);
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(true);
    await store.close();
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(false);
  });

  it('finds every kind of data again after close and reopen', async () => {
    const dataDir = await tempDir();
    const first = await openStore({ dataDir });
    await first.set('conversation:c-1', { status: 'claimed', by: 'ana' });
    await first.set('short', 'gone soon', 100);
    await first.setIfAbsent('lease:c-1', 'ana', 60_000);
    await first.setString('leader', 'replica-1');
    await first.push('transcript:c-1', 'hello', 'how can I help?', 'thanks');
    await first.dropHead('transcript:c-1', 1);
    await first.addMember('lanes', 'slack:C1');
    await first.close();
    await sleep(200);

    const second = await open(dataDir);
    expect(await second.get('conversation:c-1')).toEqual({ status: 'claimed', by: 'ana' });
    expect(await second.get('short')).toBeUndefined();
    expect(await second.getString('lease:c-1')).toBe('ana');
    expect(await second.setIfAbsent('lease:c-1', 'bob')).toBe(false);
    expect(await second.getString('leader')).toBe('replica-1');
    expect(await second.range('transcript:c-1', 0, -1)).toEqual(['how can I help?', 'thanks']);
    expect(await second.push('transcript:c-1', 'bye')).toBe(3);
    expect(await second.members('lanes')).toEqual(['slack:C1']);
  });

  it('loses no resolved write when its process is killed with SIGKILL, and the next process takes the lock over', async () => {
    const dataDir = await tempDir();
    const child = startStoreChild('write-and-hang', dataDir);
    cleanups.push(async () => child.kill('SIGKILL'));
    expect(await firstLine(child)).toBe('written');
    child.kill('SIGKILL');
    expect(await exited(child)).toBe('SIGKILL');
    expect(existsSync(join(dataDir, LOCK_FILE_NAME))).toBe(true);

    const store = await open(dataDir);
    expect(await store.length('transcript')).toBe(CHILD_ITEMS);
    expect(await store.range('transcript', -1, -1)).toEqual([`line-${CHILD_ITEMS - 1}`]);
    expect(await store.get('conversation')).toEqual({ id: 'c-1', status: 'open' });
    expect(await store.getString('lease')).toBe('child');
    expect(await store.members('lanes')).toEqual(['transcript']);
  });

  it('frees the short locks a dead process left behind when the next process opens the store, and keeps every other atomic key', async () => {
    const dataDir = await tempDir();
    const first = await openStore({ dataDir });
    await first.setIfAbsent('lock:conv-of:whatsapp:1:491', 'token-of-a-dead-process', 5000);
    await first.setIfAbsent('lock;not-a-lock', 'kept', 5000);
    await first.setString('claim:c-1', 'seat-1');
    await first.close();

    const second = await open(dataDir);
    expect(await second.setIfAbsent('lock:conv-of:whatsapp:1:491', 'mine', 5000)).toBe(true);
    expect(await second.getString('lock;not-a-lock')).toBe('kept');
    expect(await second.getString('claim:c-1')).toBe('seat-1');
  });

  it('sweeps expired rows out of the file, leaving live ones', async () => {
    const dataDir = await tempDir();
    const store = (await openStore({ dataDir })) as EmbeddedStore;
    await store.set('expiring', 1, 50);
    await store.set('kept', 2);
    await store.setString('dedupe:expiring', 'seen', 50);
    await store.setString('dedupe:kept', 'seen');
    await sleep(150);
    await store.sweepExpired();
    await store.close();
    expect(await countRows(dataDir, 'kv')).toBe(1);
    expect(await countRows(dataDir, 'atomic_keys')).toBe(1);
  });

  it('commits the writes issued just before close, though nobody awaited them', async () => {
    const dataDir = await tempDir();
    const first = await openStore({ dataDir });
    const pending = [first.push('transcript:c-9', 'last words'), first.set('conversation:c-9', { status: 'closed' })];
    await first.close();
    await expect(Promise.all(pending)).resolves.toEqual([1, undefined]);

    const second = await open(dataDir);
    expect(await second.range('transcript:c-9', 0, -1)).toEqual(['last words']);
    expect(await second.get('conversation:c-9')).toEqual({ status: 'closed' });
  });

  it('fails a refused batch alone when it shares a commit with other writes, and keeps those', async () => {
    const dataDir = await tempDir();
    const first = await openStore({ dataDir });
    const [before, refused, after] = await Promise.allSettled([
      first.push('lane', 'a'),
      first.writeAtomically([
        { kind: 'push', key: 'half', values: ['never'] },
        { kind: 'setString', key: 'refused', value: 'x', ttlMs: 0 },
      ]),
      first.push('lane', 'b'),
    ]);
    expect([before.status, refused.status, after.status]).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    await first.close();

    const second = await open(dataDir);
    expect(await second.range('lane', 0, -1)).toEqual(['a', 'b']);
    expect(await second.length('half')).toBe(0);
    expect(await second.getString('refused')).toBeUndefined();
  });
});
