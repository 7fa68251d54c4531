import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { StorePort } from '../../src/core/ports.js';
import { openStore } from '../../src/store/open-store.js';
import { deleteRedisKeys, randomPrefix } from './store-harnesses.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

/**
 * Redis going away, simulated with a TCP proxy in front of the shared Redis
 * (which itself is never stopped or flushed).
 */

/** Every operation's deadline, the ones that should be answered too: long enough for a stalled CI machine (it was 500 ms). */
const COMMAND_TIMEOUT_MS = 1_000;
const prefix = randomPrefix();

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});
afterAll(() => deleteRedisKeys(prefix));

async function storeBehindProxy(): Promise<{ store: StorePort; proxy: TcpProxy; errors: Error[] }> {
  const proxy = await startTcpProxy(6379);
  cleanups.push(() => proxy.close());
  const errors: Error[] = [];
  const store = await openStore({
    dataDir: 'unused',
    redisUrl: `redis://127.0.0.1:${proxy.port}`,
    prefix,
    redis: { commandTimeoutMs: COMMAND_TIMEOUT_MS, onError: (error) => errors.push(error) },
  });
  cleanups.push(() => store.close());
  return { store, proxy, errors };
}

/** Polls `check` until it resolves, for up to `ms`. */
async function eventually(check: () => Promise<unknown>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(50);
    }
  }
}

/** Runs `operation`, expecting a rejection; resolves with the error and how long it took. */
async function timedRejection(operation: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  const error = await operation().then(
    () => new Error('expected a rejection'),
    (reason: unknown) => reason,
  );
  return { error, ms: Date.now() - started };
}

describe('the Redis store when Redis goes away', () => {
  it('rejects ping and operations quickly while Redis is unreachable, and works again once it is back', async () => {
    const { store, proxy, errors } = await storeBehindProxy();
    await store.set('before', { kept: true });
    await store.push('outbox', 'm1');

    await proxy.cut();

    await eventually(() => expect(store.ping()).rejects.toMatchObject({ code: 'store_unavailable' }));
    for (const operation of [
      () => store.get('before'),
      () => store.set('during', 1),
      () => store.setIfAbsent('lease', 'me', 1000),
      () => store.push('outbox', 'm2'),
      () => store.removeMemberIfListEmpty('lanes', 'outbox', 'outbox'),
    ]) {
      const { error, ms } = await timedRejection(operation);
      expect(error).toMatchObject({ code: 'store_unavailable' });
      expect(ms).toBeLessThan(COMMAND_TIMEOUT_MS + 1000);
    }
    expect(errors.length).toBeGreaterThan(0);

    await proxy.restore();

    await eventually(() => store.ping());
    expect(await store.get('before')).toEqual({ kept: true });
    expect(await store.push('outbox', 'm3')).toBe(2);
    expect(await store.range('outbox', 0, -1)).toEqual(['m1', 'm3']);
  });

  it('bounds an operation sent into a connection that stops answering, and stays consistent afterwards', async () => {
    const { store, proxy } = await storeBehindProxy();
    await store.setString('marker', 'one');

    proxy.stall();
    const { error, ms } = await timedRejection(() => store.getString('marker'));
    expect(error).toMatchObject({ code: 'store_unavailable' });
    expect(ms).toBeLessThan(COMMAND_TIMEOUT_MS + 1000);
    proxy.resume();

    // Replies held during the stall arrive in order; each later call still gets its own answer.
    await store.setString('marker', 'two');
    expect(await store.getString('marker')).toBe('two');
    expect(await store.setIfAbsent('marker', 'three')).toBe(false);
  });

  it('fails to open with a message naming the URL (without its password) when nothing listens there', async () => {
    const proxy = await startTcpProxy(6379);
    await proxy.cut();
    const started = Date.now();

    const refusal = await openStore({
      dataDir: 'unused',
      redisUrl: `redis://app:s3cret@127.0.0.1:${proxy.port}`,
      redis: { connectTimeoutMs: 1000 },
    }).catch((error: unknown) => error);

    expect(refusal).toMatchObject({ code: 'store_unavailable' });
    expect((refusal as Error).message).toContain(`Could not connect to Redis at redis://127.0.0.1:${proxy.port}`);
    expect((refusal as Error).message).toContain('Check REDIS_URL');
    expect((refusal as Error).message).not.toContain('s3cret');
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
