import { coalesceCustomerRun } from '../../core/outbox/coalesce.js';
import type { OutboxItem } from '../../core/outbox/items.js';

/** A customer message with files: it goes on its own (uploads), never joined with others. */
export function hasFiles(item: OutboxItem): boolean {
  return item.payload.op === 'thread.customer' && Boolean(item.payload.attachments?.length);
}

/**
 * The customer messages waiting at the head that go as one post (SPEC §8
 * coalescing): up to the first one with files, while they fit in `maxChars`.
 */
export function customerRun(items: readonly OutboxItem[], maxChars: number): ReturnType<typeof coalesceCustomerRun> {
  const i = items.findIndex(hasFiles);
  return coalesceCustomerRun(i > 0 ? items.slice(0, i) : items, maxChars);
}
