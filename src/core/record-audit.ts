import type { AuditLog } from './audit-log.js';

/** The audit log as the use cases write it. */
export type AuditWriter = Pick<AuditLog, 'append'>;

/** Appends one audit entry: who did what to which target, the state before and after, and how it went. */
export async function recordAudit(
  log: AuditWriter, actor: string, action: string, target: string, before: unknown, after: unknown,
  outcome: 'ok' | 'denied' = 'ok', detail?: string,
): Promise<void> {
  await log.append({ actor, action, target, before, after, outcome, ...(detail ? { detail } : {}) });
}
