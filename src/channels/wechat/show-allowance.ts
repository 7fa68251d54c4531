import type { Desk } from '../../core/desk.js';
import { shownAllowance, type AllowanceRecord } from './allowance.js';

/**
 * Keeps the conversation's `replyAllowance` (what its header shows: replies
 * left and until when) in step with the customer's record, and edits the
 * header when it changed. A failure here costs only a stale header.
 */
export async function showAllowance(desk: Pick<Desk, 'conversations' | 'refreshHeader'>, convId: string, record: AllowanceRecord | undefined): Promise<void> {
  if (!record) return;
  const next = shownAllowance(record);
  let changed = false;
  const conv = await desk.conversations.update(convId, (c) => {
    if (c.replyAllowance?.left === next.left && c.replyAllowance.closesAt === next.closesAt) return c;
    changed = true;
    return { ...c, replyAllowance: next };
  });
  if (changed && conv) await desk.refreshHeader(conv);
}
