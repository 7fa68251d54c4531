import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { Limiters } from '../../src/runtime/limiters.js';
import { createLogger } from '../../src/runtime/logger.js';
import { WEBCHAT_BUDGETS } from '../../src/channels/webchat/budgets.js';
import { deleteRedisKeys, randomPrefix, REDIS_URL } from '../store/store-harnesses.js';

const BUDGETS = { ...WEBCHAT_BUDGETS, 'spaced:one': { minTimeMs: 0, maxConcurrent: 1 } };

/**
 * A local budget (web chat: the send is a store write and a push to a socket
 * here) takes no limiter slot: the call starts at once, and with Redis nothing
 * of bottleneck's clustering (scripts, a subscription and a heartbeat per
 * destination) is created for it.
 */
describe('a local send budget', () => {
  const prefix = randomPrefix();
  const limiters = new Limiters({ redisUrl: REDIS_URL, prefix, log: createLogger('silent'), budgets: BUDGETS });
  afterAll(async () => {
    await limiters.close();
    await deleteRedisKeys(prefix);
  });

  it('runs a job in the same tick of the event loop, where a limited destination queues it first', async () => {
    const started: string[] = [];
    const local = limiters.schedule('webchat:visitor:c1', async () => { started.push('local'); });
    const spaced = limiters.schedule('spaced:one:x', async () => { started.push('spaced'); });
    // Nothing awaited yet: only the local job has started.
    expect(started).toEqual(['local']);
    await Promise.all([local, spaced]);
    expect(started).toEqual(['local', 'spaced']);
  });

  it('leaves no bottleneck state in Redis for any number of visitors', async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => limiters.schedule(`webchat:visitor:c${i}`, () => Promise.resolve(i))));
    const redis = new Redis(REDIS_URL);
    try {
      const found = await redis.keys(`b_${prefix}webchat*`);
      expect(found).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});
