import type { WriteOp } from '../../core/ports.js';
import type { AtomicKeySql } from './atomic-key-sql.js';
import type { ListSql } from './list-sql.js';
import type { SetMemberSql } from './set-member-sql.js';

/** The statements a batch of writes needs. */
export interface WriteOpSql {
  atomicKeys: AtomicKeySql;
  lists: ListSql;
  sets: SetMemberSql;
}

/**
 * Applies `ops` in order. Atomicity is the caller's: the store runs a batch of
 * more than one op in a savepoint of the group's transaction (see
 * group-commit.ts). `expiresAt` turns an op's TTL into an expiry.
 */
export function applyWriteOps(sql: WriteOpSql, ops: readonly WriteOp[], expiresAt: (ttlMs: number | undefined) => number | null): void {
  for (const op of ops) {
    if (op.kind === 'push') sql.lists.append(op.key, op.values);
    else if (op.kind === 'addMember') sql.sets.insert(op.key, op.member);
    else if (op.kind === 'dropHead') {
      if (op.count > 0) sql.lists.deleteHead(op.key, Math.floor(op.count));
    } else sql.atomicKeys.upsert({ key: op.key, value: op.value, expiresAt: expiresAt(op.ttlMs) });
  }
}
