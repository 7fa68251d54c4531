import type { WriteOp } from '../../core/ports.js';
import { validateScore } from '../validate-score.js';
import { validateTtl } from '../validate-ttl.js';
import { validateIncrement } from '../validate-increment.js';
import { serializeKvRow } from '../kv-row.js';
import type { RedisClient } from './redis-client.js';
import type { RedisKeys } from './redis-keys.js';

/** One Redis command of a batch: its name, the one key it writes, the arguments after the key. */
export interface RedisWrite {
  command: string;
  key: string;
  args: string[];
}

const px = (ttl: number | undefined): string[] => (ttl === undefined ? [] : ['PX', String(ttl)]);

/**
 * The commands of `ops`, in order (ops that write nothing, such as an empty
 * push, have none). Every op is checked (TTL, score, increment) here, before
 * anything is sent, so a refused op leaves the whole batch unsent.
 */
export function writeOpCommands(keys: RedisKeys, ops: readonly WriteOp[]): RedisWrite[] {
  const out: RedisWrite[] = [];
  for (const op of ops) {
    switch (op.kind) {
      // The row keyv's set writes (open-redis-store.ts): its envelope, its key, PX for the TTL.
      case 'setValue': {
        const ttl = validateTtl(op.ttlMs);
        out.push({ command: 'SET', key: keys.kv(op.key), args: [serializeKvRow(op.value, ttl === undefined ? null : Date.now() + ttl), ...px(ttl)] });
        break;
      }
      case 'push': if (op.values.length) out.push({ command: 'RPUSH', key: keys.list(op.key), args: [...op.values] }); break;
      case 'addMember': out.push({ command: 'SADD', key: keys.set(op.key), args: [op.member] }); break;
      case 'dropHead': if (op.count > 0) out.push({ command: 'LTRIM', key: keys.list(op.key), args: [String(Math.floor(op.count)), '-1'] }); break;
      case 'setString': out.push({ command: 'SET', key: keys.atomic(op.key), args: [op.value, ...px(validateTtl(op.ttlMs))] }); break;
      case 'deleteString': out.push({ command: 'DEL', key: keys.atomic(op.key), args: [] }); break;
      case 'zAdd': out.push({ command: 'ZADD', key: keys.sortedSet(op.key), args: [String(validateScore(op.score)), op.member] }); break;
      case 'zRemove': out.push({ command: 'ZREM', key: keys.sortedSet(op.key), args: [op.member] }); break;
      case 'incr': out.push({ command: 'INCRBY', key: keys.counter(op.key), args: [String(validateIncrement(op.by))] }); break;
    }
  }
  return out;
}

/** MULTI/EXEC: Redis applies the queued commands as one, or none when EXEC never arrives. */
export function execWriteOps(client: RedisClient, keys: RedisKeys, ops: readonly WriteOp[]): Promise<unknown> {
  const writes = writeOpCommands(keys, ops);
  const multi = client.multi();
  for (const w of writes) multi.addCommand([w.command, w.key, ...w.args]);
  return multi.exec();
}
