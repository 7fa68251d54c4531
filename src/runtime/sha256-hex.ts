import { createHash } from 'node:crypto';

/** SHA-256 of a UTF-8 text as 64 lowercase hex digits: the audit log's chain hash (core/audit-log.ts). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
