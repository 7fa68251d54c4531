import { randomBytes } from 'node:crypto';
import { createClient } from '@keyv/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LuaScript } from '../../src/store/redis/lua-script.js';
import type { RedisClient } from '../../src/store/redis/redis-client.js';
import { REDIS_URL } from './store-harnesses.js';

/**
 * The store's scripts go by SHA1 (EVALSHA). A script this Redis has never
 * seen (the body below carries a random comment, so no other run loaded it)
 * is answered NOSCRIPT the first time: the call must still run it, with its
 * body, and load it, so the next call goes by SHA1 alone.
 */
describe('LuaScript on real Redis', () => {
  const client = createClient({ url: REDIS_URL }) as RedisClient;
  beforeAll(async () => { await client.connect(); });
  afterAll(async () => { await client.close(); });

  it('runs a script Redis does not know yet, then goes by its SHA1', async () => {
    const script = new LuaScript(`-- ${randomBytes(8).toString('hex')}\nreturn ARGV[1] .. '!' .. KEYS[1]`);
    expect(await client.scriptExists(script.sha)).toEqual([0]);
    expect(await script.run(client, { keys: ['k'], arguments: ['hello'] })).toBe('hello!k');
    expect(await client.scriptExists(script.sha), 'the fallback loaded the body').toEqual([1]);
    expect(await script.run(client, { keys: ['k2'], arguments: ['again'] })).toBe('again!k2');
  });

  it('passes on an error of the script itself, not retrying it with its body', async () => {
    const script = new LuaScript(`-- ${randomBytes(8).toString('hex')}\nreturn redis.error_reply('bad value in ' .. KEYS[1])`);
    await expect(script.run(client, { keys: ['k'], arguments: [] })).rejects.toThrow(/bad value in k/);
    await expect(script.run(client, { keys: ['k'], arguments: [] })).rejects.toThrow(/bad value in k/);
  });
});
