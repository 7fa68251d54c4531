import { describe, expect, it } from 'vitest';
import { randomHex } from '../../src/runtime/random-hex.js';

describe('randomHex', () => {
  it('gives the asked number of bytes as lower-case hex, different every time, across pool refills', () => {
    // 5 bytes at a time: 4096 / 5 is not whole, so refills happen mid-way, several times.
    const ids = Array.from({ length: 5000 }, () => randomHex(5));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{10}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(randomHex(6000)).toMatch(/^[0-9a-f]{12000}$/);
  });

  it('spreads its bytes evenly (no byte value is stuck or missing)', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 20_000; i++) {
      const hex = randomHex(8);
      for (let j = 0; j < 16; j += 2) counts[parseInt(hex.slice(j, j + 2), 16)]! += 1;
    }
    // 160,000 bytes: about 625 of each value; a stuck or missing value would sit far outside this.
    expect(Math.min(...counts)).toBeGreaterThan(450);
    expect(Math.max(...counts)).toBeLessThan(800);
  });
});
