import type { WriteOp } from '../../core/ports.js';
import { validateTtl } from '../validate-ttl.js';
import { pxExpiry, type RedisClient } from './redis-client.js';
import type { RedisKeys } from './redis-keys.js';

/** MULTI/EXEC: Redis applies the queued commands as one, or none when EXEC never arrives. */
export function execWriteOps(client: RedisClient, keys: RedisKeys, ops: readonly WriteOp[]): Promise<unknown> {
  const multi = client.multi();
  for (const op of ops) {
    if (op.kind === 'push') { if (op.values.length) multi.rPush(keys.list(op.key), [...op.values]); }
    else if (op.kind === 'addMember') multi.sAdd(keys.set(op.key), op.member);
    else if (op.kind === 'dropHead') { if (op.count > 0) multi.lTrim(keys.list(op.key), Math.floor(op.count), -1); }
    else multi.set(keys.atomic(op.key), op.value, pxExpiry(validateTtl(op.ttlMs)));
  }
  return multi.exec();
}
