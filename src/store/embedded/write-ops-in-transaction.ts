import type { WriteOp } from '../../core/ports.js';
import { upsertKey } from './atomic-key-sql.js';
import { appendItems, deleteHead } from './list-sql.js';
import { insertMember } from './set-member-sql.js';
import type { SqlQuery } from './sqlite-schema.js';

/**
 * Applies `ops` in one transaction: all writes land, or none. The caller holds
 * the connection exclusively; `expiresAt` turns an op's TTL into an expiry.
 * `grouped`: a transaction is already open (the group commit's), which makes
 * the ops atomic with it; the group is rolled back as a whole on a failure.
 */
export async function writeOpsInTransaction(
  query: SqlQuery,
  ops: readonly WriteOp[],
  expiresAt: (ttlMs: number | undefined) => number | null,
  grouped = false,
): Promise<void> {
  if (ops.length === 0) return;
  if (grouped) return applyOps(query, ops, expiresAt);
  await query('BEGIN IMMEDIATE');
  try {
    await applyOps(query, ops, expiresAt);
    await query('COMMIT');
  } catch (err) {
    await query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

async function applyOps(query: SqlQuery, ops: readonly WriteOp[], expiresAt: (ttlMs: number | undefined) => number | null): Promise<void> {
  for (const op of ops) {
    if (op.kind === 'push') await appendItems(query, op.key, op.values);
    else if (op.kind === 'addMember') await insertMember(query, op.key, op.member);
    else if (op.kind === 'dropHead') { if (op.count > 0) await deleteHead(query, op.key, Math.floor(op.count)); }
    else await upsertKey(query, op.key, op.value, expiresAt(op.ttlMs));
  }
}
