import { defaultDeserialize } from '@keyv/serialize';
import { describe, expect, it } from 'vitest';
import { encodeKvValue } from '../../src/store/embedded/kv-envelope.js';
import { parseKvRow } from '../../src/store/kv-row.js';

/**
 * The embedded store reads keyv's rows as keyv reads them: strings that start
 * with `:` are escaped by the writer and unescaped on reading, `:base64:`
 * strings are Buffers; rows with no such string are read as plain JSON.
 */
describe('parseKvRow', () => {
  const values: unknown[] = [
    { value: { text: 'hello', n: 1, list: ['a', 'b'], nested: { ok: true, none: null } } },
    { value: ':starts with a colon', expires: 1_800_000_000_000 },
    { value: { a: '::double', b: [':in a list', 'plain'], ':key': 'colon key' } },
    { value: { quote: 'she said ":" and {":x"} and [":y"] , ":z"', colonInside: 'a:b', json: '{"k":":v"}' } },
    { value: Buffer.from('bytes') },
    { value: 'plain', expires: 5 },
    { value: [] },
    { value: '' },
  ];

  it('reads every value as @keyv/serialize reads it', () => {
    for (const value of values) {
      const raw = encodeKvValue((value as { value: unknown }).value, (value as { expires?: number }).expires ?? null);
      expect(parseKvRow(raw), raw).toEqual(defaultDeserialize(raw));
    }
  });

  it('gives back the values written, colons and Buffers included', () => {
    const raw = encodeKvValue({ a: ':x', b: Buffer.from('y'), c: 'z:' }, null);
    expect(parseKvRow<{ value: unknown }>(raw).value).toEqual({ a: ':x', b: Buffer.from('y'), c: 'z:' });
  });
});
