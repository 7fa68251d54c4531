import { describe, expect, it } from 'vitest';
import { splitUtf8 } from '../../src/channels/wechat/split-utf8.js';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('splitUtf8 (WeChat text is limited to 2048 bytes, not characters)', () => {
  it('keeps a text that fits as one part', () => {
    expect(splitUtf8('hello', 2048)).toEqual(['hello']);
    expect(splitUtf8('', 2048)).toEqual(['']);
  });

  it('splits 1,000 Chinese characters (3,000 bytes) into parts of at most 2048 bytes, losing nothing', () => {
    const text = '退款'.repeat(500);
    const parts = splitUtf8(text, 2048);
    expect(parts).toHaveLength(2);
    for (const p of parts) expect(bytes(p)).toBeLessThanOrEqual(2048);
    expect(parts.join('')).toBe(text);
    // 682 characters of 3 bytes fit: 2046 bytes.
    expect(parts[0]).toHaveLength(682);
  });

  it('never cuts an emoji (a surrogate pair, 4 bytes) in half', () => {
    const text = `${'a'.repeat(2046)}😀b`;
    const parts = splitUtf8(text, 2048);
    expect(parts).toEqual(['a'.repeat(2046), '😀b']);
  });

  it('prefers to break after a space near the end of a part', () => {
    const text = `${'x'.repeat(1900)} ${'y'.repeat(300)}`;
    const parts = splitUtf8(text, 2048);
    expect(parts[0]).toBe(`${'x'.repeat(1900)} `);
    expect(parts.join('')).toBe(text);
  });
});
