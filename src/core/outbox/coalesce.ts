import type { OutboxItem } from './items.js';

/**
 * When a thread falls behind (its destination's budget is spent), the
 * customer messages waiting at the head of its lane are posted as one message
 * instead of one by one (SPEC §8). Takes the head run of `thread.customer`
 * items whose joined text stays within the messenger's limit.
 *
 * Returns how many head items to take (at least one when the head is a
 * customer message) and their joined text.
 */
export function coalesceCustomerRun(items: readonly OutboxItem[], maxChars: number): { count: number; texts: string[] } {
  return textRun(items, 'thread.customer', maxChars);
}

/** Consecutive bot notices at the head, joined while they fit in one message (as customer runs are). */
export function coalesceNoticeRun(items: readonly OutboxItem[], maxChars: number): { count: number; texts: string[] } {
  return textRun(items, 'thread.notice', maxChars);
}

/** The head run of items of one text op whose texts, joined by newlines, stay within `maxChars` (at least one). */
function textRun(items: readonly OutboxItem[], op: 'thread.customer' | 'thread.notice', maxChars: number): { count: number; texts: string[] } {
  const texts: string[] = [];
  let length = 0;
  for (const item of items) {
    if (item.payload.op !== op) break;
    const text = item.payload.text;
    const added = (texts.length ? 1 : 0) + text.length;
    if (texts.length && length + added > maxChars) break;
    texts.push(text);
    length += added;
  }
  return { count: texts.length, texts };
}

/** Consecutive header edits collapse into one: the render reads the latest state anyway. */
export function headerRun(items: readonly OutboxItem[]): number {
  let n = 0;
  while (n < items.length && items[n]!.payload.op === 'thread.header') n++;
  return n;
}

/**
 * Splits a text longer than a messenger's limit into parts that each fit,
 * preferring line breaks, then spaces: never cut, never lost (SPEC §5).
 */
export function splitText(text: string, maxChars: number): string[] {
  if (text.length <= maxChars) return [text];
  const parts: string[] = [];
  let rest = text;
  while (rest.length > maxChars) {
    let cut = rest.lastIndexOf('\n', maxChars);
    if (cut < maxChars / 2) cut = rest.lastIndexOf(' ', maxChars);
    if (cut < maxChars / 2) cut = maxChars;
    // Do not split a UTF-16 surrogate pair.
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    // A limit of one character cannot hold a surrogate pair: keep the pair whole rather than loop.
    if (cut < 1) cut = Math.min(2, rest.length);
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  if (rest.length) parts.push(rest);
  return parts;
}
