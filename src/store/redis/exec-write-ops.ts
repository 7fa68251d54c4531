import type { WriteOp } from '../../core/ports.js';
import { validateScore } from '../validate-score.js';
import { validateTtl } from '../validate-ttl.js';
import { validateIncrement } from '../validate-increment.js';
import { serializeKvRow } from '../kv-row.js';
import { pxExpiry, type RedisClient } from './redis-client.js';
import type { RedisKeys } from './redis-keys.js';

/**
 * MULTI/EXEC: Redis applies the queued commands as one, or none when EXEC
 * never arrives. Every op is checked (TTL, score) while queueing, before
 * anything is sent, so a refused op leaves the whole batch unsent.
 */
export function execWriteOps(client: RedisClient, keys: RedisKeys, ops: readonly WriteOp[]): Promise<unknown> {
  const multi = client.multi();
  for (const op of ops) {
    switch (op.kind) {
      // The row keyv's set writes (open-redis-store.ts): its envelope, its key, PX for the TTL.
      case 'setValue': {
        const ttl = validateTtl(op.ttlMs);
        multi.set(keys.kv(op.key), serializeKvRow(op.value, ttl === undefined ? null : Date.now() + ttl), pxExpiry(ttl));
        break;
      }
      case 'push': if (op.values.length) multi.rPush(keys.list(op.key), [...op.values]); break;
      case 'addMember': multi.sAdd(keys.set(op.key), op.member); break;
      case 'dropHead': if (op.count > 0) multi.lTrim(keys.list(op.key), Math.floor(op.count), -1); break;
      case 'setString': multi.set(keys.atomic(op.key), op.value, pxExpiry(validateTtl(op.ttlMs))); break;
      case 'deleteString': multi.del(keys.atomic(op.key)); break;
      case 'zAdd': multi.zAdd(keys.sortedSet(op.key), { score: validateScore(op.score), value: op.member }); break;
      case 'zRemove': multi.zRem(keys.sortedSet(op.key), op.member); break;
      case 'incr': multi.incrBy(keys.counter(op.key), validateIncrement(op.by)); break;
    }
  }
  return multi.exec();
}
