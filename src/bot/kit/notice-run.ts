import type { OutboxItem } from '../../core/outbox/items.js';

/** Consecutive bot notices at the head, joined while they fit in one message. */
export function noticeRun(items: readonly OutboxItem[], maxChars: number): { count: number; texts: string[] } {
  const texts: string[] = [];
  let length = 0;
  for (const item of items) {
    if (item.payload.op !== 'thread.notice') break;
    const added = (texts.length ? 1 : 0) + item.payload.text.length;
    if (texts.length && length + added > maxChars) break;
    texts.push(item.payload.text);
    length += added;
  }
  return { count: texts.length, texts };
}
