import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StorePort } from '../../src/core/ports.js';
import { DataDirLockedError, LOCK_FILE_NAME, lockDataDir } from '../../src/store/embedded/lock-data-dir.js';
import { openStore } from '../../src/store/open-store.js';
import { deadPid, exited, firstLine, startStoreChild } from './run-child.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'threaddesk-lock-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function open(dataDir: string): Promise<StorePort> {
  const store = await openStore({ dataDir });
  cleanups.push(() => store.close());
  return store;
}

/** Writes a lock file as another process would have. */
async function writeLock(dataDir: string, owner: Record<string, unknown>): Promise<string> {
  const path = join(dataDir, LOCK_FILE_NAME);
  await writeFile(path, `${JSON.stringify({ startedAt: '2026-01-01T00:00:00.000Z', token: 'theirs', ...owner })}\n`);
  return path;
}

function lockOwnerPid(dataDir: string): number {
  return (JSON.parse(readFileSync(join(dataDir, LOCK_FILE_NAME), 'utf8')) as { pid: number }).pid;
}

/** Field 22 of /proc/<pid>/stat, as the lock records it. */
function startTicks(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}

describe('the DATA_DIR lock', () => {
  it('refuses a second open of the same directory in the same process, and allows it after close', async () => {
    const dataDir = await tempDir();
    const first = await openStore({ dataDir });

    const refusal = await openStore({ dataDir }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DataDirLockedError);
    expect(refusal).toMatchObject({ code: 'data_dir_locked' });
    expect((refusal as Error).message).toContain('is already open in this process');
    expect(await first.getString('still-works')).toBeUndefined();

    await first.close();
    const reopened = await open(dataDir);
    await expect(reopened.ping()).resolves.toBeUndefined();
  });

  it('lets exactly one of two simultaneous opens in one process win', async () => {
    const dataDir = await tempDir();
    const results = await Promise.allSettled([openStore({ dataDir }), openStore({ dataDir })]);
    const opened = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    for (const r of opened) cleanups.push(() => (r as PromiseFulfilledResult<StorePort>).value.close());
    expect(opened).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'data_dir_locked' });
  });

  it('makes a second process refuse to start with a message naming this process and the ways out', async () => {
    const dataDir = await tempDir();
    await open(dataDir);

    const child = startStoreChild('open', dataDir);
    const answer = JSON.parse(await firstLine(child)) as { ok: boolean; code: string; message: string };

    expect(answer.ok).toBe(false);
    expect(answer.code).toBe('data_dir_locked');
    expect(answer.message).toContain(`DATA_DIR ${dataDir} is in use by process ${process.pid} (started `);
    expect(answer.message).toContain(
      'Stop that process, or give this one its own DATA_DIR, or set REDIS_URL to run several replicas on shared state.',
    );
    expect(await exited(child)).toBe(3);
  });

  it('lets another process open the directory once this one has closed it', async () => {
    const dataDir = await tempDir();
    const store = await openStore({ dataDir });
    await store.close();

    const child = startStoreChild('open', dataDir);
    expect(JSON.parse(await firstLine(child))).toEqual({ ok: true });
    expect(await exited(child)).toBe(0);
  });

  it('refuses a lock held by a live process on this host (the test runner parent)', async () => {
    const dataDir = await tempDir();
    await writeLock(dataDir, { pid: process.ppid, hostname: hostname() });

    const refusal = await lockDataDir(dataDir).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DataDirLockedError);
    expect((refusal as DataDirLockedError).owner?.pid).toBe(process.ppid);
    expect((refusal as Error).message).toContain(`is in use by process ${process.ppid} (started 2026-01-01T00:00:00.000Z)`);
    expect(lockOwnerPid(dataDir)).toBe(process.ppid);
  });

  it('takes over a stale lock left by a dead process', async () => {
    const dataDir = await tempDir();
    const pid = await deadPid();
    await writeLock(dataDir, { pid, hostname: hostname() });

    const store = await open(dataDir);
    await store.set('after-takeover', true);
    expect(lockOwnerPid(dataDir)).toBe(process.pid);
  });

  it('takes over a lock whose PID now belongs to a different, later process', async () => {
    const dataDir = await tempDir();
    const recordedTicks = String(Number(startTicks(process.ppid)) - 1);
    await writeLock(dataDir, { pid: process.ppid, hostname: hostname(), startTicks: recordedTicks });

    await open(dataDir);
    expect(lockOwnerPid(dataDir)).toBe(process.pid);
  });

  it('takes over a lock written by an earlier run that had this same PID (a restarted container)', async () => {
    const dataDir = await tempDir();
    await writeLock(dataDir, { pid: process.pid, hostname: hostname() });

    await open(dataDir);
    expect(lockOwnerPid(dataDir)).toBe(process.pid);
  });

  it('refuses a lock from another host while it is fresh, naming the host', async () => {
    const dataDir = await tempDir();
    await writeLock(dataDir, { pid: 4242, hostname: 'replica-b.internal' });

    const refusal = await lockDataDir(dataDir).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: 'data_dir_locked' });
    expect((refusal as Error).message).toContain('is in use by process 4242 on host replica-b.internal');
    expect((refusal as Error).message).toContain('set REDIS_URL to run several replicas on shared state');
  });

  it('takes over a lock from another host that has not been refreshed for a minute', async () => {
    const dataDir = await tempDir();
    const path = await writeLock(dataDir, { pid: 4242, hostname: 'replica-b.internal' });
    const aMinuteAgo = new Date(Date.now() - 60_000);
    await utimes(path, aMinuteAgo, aMinuteAgo);

    await open(dataDir);
    expect(lockOwnerPid(dataDir)).toBe(process.pid);
  });

  it('takes over a lock file left empty by a crash between create and write', async () => {
    const dataDir = await tempDir();
    const path = join(dataDir, LOCK_FILE_NAME);
    await writeFile(path, '');
    const aMinuteAgo = new Date(Date.now() - 60_000);
    await utimes(path, aMinuteAgo, aMinuteAgo);

    await open(dataDir);
    expect(lockOwnerPid(dataDir)).toBe(process.pid);
  });

  it('does not delete a lock file that someone else has since written', async () => {
    const dataDir = await tempDir();
    const lock = await lockDataDir(dataDir);
    const foreign = `${JSON.stringify({ pid: 4242, hostname: 'elsewhere', token: 'other' })}\n`;
    await writeFile(lock.path, foreign);

    await lock.release();
    expect(await readFile(lock.path, 'utf8')).toBe(foreign);
  });
});
