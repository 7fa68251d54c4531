import { defaultDeserialize, defaultSerialize } from '@keyv/serialize';

/**
 * A value @keyv/serialize wrote (keyv's rows, in SQLite and in Redis), read as
 * it reads it. Its reader revives every string (a leading `:` is an escape,
 * `:base64:` a Buffer), which costs a callback per value of every read; a row
 * where no string starts with `:` is plain JSON. In text our serializer wrote (no whitespace), a
 * string starts with `:` exactly where an opening quote that follows `{`,
 * `[`, `:` or `,` is followed by `:`; inside a string a quote is always
 * escaped, so that pattern cannot come from a string's content.
 */
export function parseKvRow<T>(raw: string): T {
  return COLON_STRING.test(raw) ? defaultDeserialize<T>(raw) : (JSON.parse(raw) as T);
}

const COLON_STRING = /[{[:,]":/;

/**
 * The row keyv's `set` writes for `value` (both stores' KV records), so a
 * record written in a batch reads as one written by `set`:
 * `{"value":…,"expires":<epoch ms>}` by @keyv/serialize, `expires` left out
 * when it never expires (null).
 */
export function serializeKvRow(value: unknown, expiresAt: number | null): string {
  return defaultSerialize({ value, expires: expiresAt ?? undefined });
}
