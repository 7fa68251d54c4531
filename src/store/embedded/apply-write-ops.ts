import type { WriteOp } from '../../core/ports.js';
import type { AtomicKeySql } from './atomic-key-sql.js';
import type { ListSql } from './list-sql.js';
import type { SetMemberSql } from './set-member-sql.js';
import type { SortedMemberSql } from './sorted-member-sql.js';
import type { CounterSql } from './counter-sql.js';
import type { KvSql } from './kv-sql.js';
import { validateIncrement } from '../validate-increment.js';
import { validateScore } from '../validate-score.js';

/** The statements a batch of writes needs. */
export interface WriteOpSql {
  kv: KvSql;
  atomicKeys: AtomicKeySql;
  lists: ListSql;
  sets: SetMemberSql;
  sortedSets: SortedMemberSql;
  counters: CounterSql;
}

/**
 * Applies `ops` in order. Atomicity is the caller's: the store runs a batch of
 * more than one op in a savepoint of the group's transaction (see
 * group-commit.ts). `expiresAt` turns an op's TTL into an expiry.
 */
export function applyWriteOps(sql: WriteOpSql, ops: readonly WriteOp[], expiresAt: (ttlMs: number | undefined) => number | null): void {
  for (const op of ops) {
    switch (op.kind) {
      case 'setValue': sql.kv.set(op.key, op.value, expiresAt(op.ttlMs)); break;
      case 'push': sql.lists.append(op.key, op.values); break;
      case 'addMember': sql.sets.insert(op.key, op.member); break;
      case 'dropHead': if (op.count > 0) sql.lists.deleteHead(op.key, Math.floor(op.count)); break;
      case 'setString': sql.atomicKeys.upsert({ key: op.key, value: op.value, expiresAt: expiresAt(op.ttlMs) }); break;
      case 'deleteString': sql.atomicKeys.delete(op.key); break;
      case 'zAdd': sql.sortedSets.upsert(op.key, op.member, validateScore(op.score)); break;
      case 'zRemove': sql.sortedSets.remove(op.key, op.member); break;
      case 'incr': sql.counters.add(op.key, validateIncrement(op.by)); break;
    }
  }
}
