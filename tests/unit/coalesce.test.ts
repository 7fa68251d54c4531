import { describe, expect, it } from 'vitest';
import { coalesceCustomerRun, coalesceNoticeRun, headerRun, splitText } from '../../src/core/outbox/coalesce.js';
import type { OutboxItem, OutboxPayload } from '../../src/core/outbox/items.js';
import { seededRandom } from './memory-atomic.js';

let n = 0;
const item = (payload: OutboxPayload): OutboxItem => ({ id: `i${++n}`, lane: 't:c1', via: 'slack', payload, createdAt: 1_700_000_000_000 + n, attempts: 0 });
const customer = (text: string) => item({ op: 'thread.customer', convId: 'c1', text, sentAt: 1_700_000_000_000 });
const header = () => item({ op: 'thread.header', convId: 'c1' });
const notice = (text: string) => item({ op: 'thread.notice', convId: 'c1', text });

describe('coalesceNoticeRun', () => {
  it('joins the bot notices at the head while they fit, and stops at the first other item', () => {
    expect(coalesceNoticeRun([notice('one'), notice('two'), customer('c'), notice('three')], 40_000)).toEqual({ count: 2, texts: ['one', 'two'] });
    expect(coalesceNoticeRun(['a'.repeat(10), 'b'.repeat(10)].map(notice), 20)).toEqual({ count: 1, texts: ['a'.repeat(10)] });
    expect(coalesceNoticeRun([customer('c'), notice('n')], 40_000)).toEqual({ count: 0, texts: [] });
  });
});

describe('coalesceCustomerRun', () => {
  it('joins consecutive customer messages with line breaks while they fit the limit exactly', () => {
    // 10 + 1 + 10 + 1 + 10 = 32 characters.
    const items = ['a'.repeat(10), 'b'.repeat(10), 'c'.repeat(10), 'd'].map(customer);
    const run = coalesceCustomerRun(items, 32);
    expect(run.count).toBe(3);
    expect(run.texts).toEqual(['a'.repeat(10), 'b'.repeat(10), 'c'.repeat(10)]);
    expect(run.texts.join('\n').length).toBeLessThanOrEqual(32);
  });

  it('stops one message earlier when the line break would push it over the limit', () => {
    const run = coalesceCustomerRun(['a'.repeat(10), 'b'.repeat(10), 'c'.repeat(10)].map(customer), 31);
    expect(run.count).toBe(2);
  });

  it('stops at the first item that is not a customer message, keeping lane order', () => {
    const items = [customer('one'), customer('two'), header(), customer('three')];
    expect(coalesceCustomerRun(items, 40_000)).toEqual({ count: 2, texts: ['one', 'two'] });
    expect(coalesceCustomerRun([customer('one'), notice('bot notice'), customer('two')], 40_000).count).toBe(1);
  });

  it('takes nothing when the head is not a customer message', () => {
    expect(coalesceCustomerRun([notice('x'), customer('y')], 40_000)).toEqual({ count: 0, texts: [] });
    expect(coalesceCustomerRun([], 40_000)).toEqual({ count: 0, texts: [] });
  });

  it('always takes a head customer message even when it alone is over the limit, and nothing after it', () => {
    const run = coalesceCustomerRun([customer('x'.repeat(50)), customer('y')], 10);
    expect(run).toEqual({ count: 1, texts: ['x'.repeat(50)] });
  });

  it('keeps empty customer texts (attachments only) in the run', () => {
    const run = coalesceCustomerRun([customer(''), customer(''), customer('hi')], 10);
    expect(run.count).toBe(3);
    expect(run.texts).toEqual(['', '', 'hi']);
  });

  it('never exceeds the limit on random runs once more than one message is taken', () => {
    const rnd = seededRandom(7);
    for (let round = 0; round < 500; round++) {
      const limit = 1 + Math.floor(rnd() * 60);
      const items = Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => (rnd() < 0.15 ? header() : customer('z'.repeat(Math.floor(rnd() * 25)))));
      const run = coalesceCustomerRun(items, limit);
      expect(run.texts).toEqual(items.slice(0, run.count).map((i) => (i.payload as { text: string }).text));
      if (run.count > 1) expect(run.texts.join('\n').length).toBeLessThanOrEqual(limit);
      // Maximal: the next item is not a customer message, or it would not fit.
      const next = items[run.count];
      if (next && next.payload.op === 'thread.customer' && run.count > 0) {
        expect(run.texts.join('\n').length + 1 + next.payload.text.length).toBeGreaterThan(limit);
      }
    }
  });
});

describe('headerRun', () => {
  it('counts the header edits at the head of the lane and stops at anything else', () => {
    expect(headerRun([header(), header(), customer('a'), header()])).toBe(2);
    expect(headerRun([customer('a'), header()])).toBe(0);
    expect(headerRun([header()])).toBe(1);
    expect(headerRun([])).toBe(0);
  });
});

/**
 * Rebuilds `text` from `parts`: each split may have dropped exactly one space
 * or line break (the one the split happened at, possibly the text's last
 * character) and nothing else.
 */
function rejoin(text: string, parts: readonly string[]): { ok: boolean; dropped: number } {
  const isSep = (at: number) => text[at] === ' ' || text[at] === '\n';
  const failed = new Set<string>();
  // Depth-first with a memo: at a run of spaces either reading of the boundary may be the right one.
  const walk = (i: number, at: number): number | undefined => {
    if (i === parts.length) {
      if (at === text.length) return 0;
      return at === text.length - 1 && isSep(at) ? 1 : undefined;
    }
    const key = `${i}:${at}`;
    if (failed.has(key)) return undefined;
    const part = parts[i]!;
    if (text.startsWith(part, at)) {
      const rest = walk(i + 1, at + part.length);
      if (rest !== undefined) return rest;
    }
    if (i > 0 && isSep(at) && text.startsWith(part, at + 1)) {
      const rest = walk(i + 1, at + 1 + part.length);
      if (rest !== undefined) return rest + 1;
    }
    failed.add(key);
    return undefined;
  };
  const dropped = walk(0, 0);
  return { ok: dropped !== undefined, dropped: dropped ?? 0 };
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

function expectSound(text: string, limit: number): string[] {
  const parts = splitText(text, limit);
  for (const p of parts) {
    expect(p.length).toBeLessThanOrEqual(limit);
    if (text.length) expect(p.length).toBeGreaterThan(0);
    expect(isHigh(p.charCodeAt(p.length - 1)), `part ends inside a surrogate pair: ${JSON.stringify(p)}`).toBe(false);
    expect(isLow(p.charCodeAt(0)), `part starts inside a surrogate pair: ${JSON.stringify(p)}`).toBe(false);
  }
  const r = rejoin(text, parts);
  expect(r.ok, `parts do not rebuild the text: ${JSON.stringify({ text, limit, parts })}`).toBe(true);
  expect(r.dropped).toBeLessThanOrEqual(parts.length);
  return parts;
}

describe('splitText', () => {
  it('returns a text within the limit unchanged, as one part', () => {
    expect(splitText('hello', 5)).toEqual(['hello']);
    expect(splitText('', 5)).toEqual(['']);
  });

  it('splits at the last line break within the limit and drops only that line break', () => {
    const text = `${'a'.repeat(30)}\n${'b'.repeat(30)}\n${'c'.repeat(30)}`;
    expect(splitText(text, 70)).toEqual([`${'a'.repeat(30)}\n${'b'.repeat(30)}`, 'c'.repeat(30)]);
  });

  it('prefers a space when the last line break is in the first half', () => {
    const text = `ab\n${'word '.repeat(30)}`;
    const parts = expectSound(text, 40);
    expect(parts[0]!.endsWith('word')).toBe(true);
    expect(parts[0]!.length).toBeGreaterThan(20);
  });

  it('cuts a text without spaces at exactly the limit and loses no character', () => {
    const text = 'x'.repeat(95);
    expect(splitText(text, 40)).toEqual(['x'.repeat(40), 'x'.repeat(40), 'x'.repeat(15)]);
  });

  it('keeps a second space or line break at the boundary: only one separator is dropped', () => {
    const text = `${'a'.repeat(8)}  ${'b'.repeat(8)}`; // two spaces at 8 and 9
    const parts = expectSound(text, 10);
    expect(parts.join('').length + (parts.length - 1)).toBe(text.length);
  });

  it('never splits an emoji (a surrogate pair) at a hard cut', () => {
    // 39 letters then an emoji across the 40th/41st code unit.
    const text = `${'a'.repeat(39)}😀${'b'.repeat(10)}`;
    const parts = expectSound(text, 40);
    expect(parts[0]).toBe('a'.repeat(39));
    expect(parts[1]!.startsWith('😀')).toBe(true);
  });

  it('splits a text made only of emoji into whole emoji', () => {
    const text = '👍'.repeat(50);
    const parts = expectSound(text, 7);
    // 100 code units: sixteen parts of three emoji, then two emoji.
    expect(parts.map((p) => p.length)).toEqual([...Array<number>(16).fill(6), 4]);
    expect(parts.join('')).toBe(text);
  });

  it('splits a 100,000 character message at Slack\'s 40,000 limit into three parts that rebuild it', () => {
    const words = Array.from({ length: 20_000 }, (_, i) => (i % 13 === 0 ? 'line\n' : 'word ')).join('');
    const parts = expectSound(words, 40_000);
    expect(parts).toHaveLength(3);
  });

  it('holds its promises on thousands of random texts with spaces, line breaks, accents and emoji', () => {
    const rnd = seededRandom(2024);
    const alphabet = ['a', 'b', ' ', '\n', 'é', '😀', '👩‍👩‍👧', 'z', '  ', '\n\n'];
    for (let round = 0; round < 3000; round++) {
      const limit = 2 + Math.floor(rnd() * 30);
      const len = Math.floor(rnd() * 120);
      let text = '';
      for (let i = 0; i < len; i++) text += alphabet[Math.floor(rnd() * alphabet.length)]!;
      expectSound(text, limit);
    }
  });
});
