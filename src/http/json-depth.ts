/**
 * How deep JSON bodies may nest. Real webhook payloads stay far below it (the
 * deepest we checked, a WhatsApp contacts message and a Slack
 * `message_changed`, nest 12 and 9 levels); deeper input is refused before
 * anything recursive (a schema, a logger, `JSON.stringify` into the store) can
 * overflow the stack.
 */
export const MAX_JSON_DEPTH = 32;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * True when the JSON text nests objects and arrays deeper than `limit`.
 * One pass over the bytes, no recursion and no parsing: brackets inside
 * strings do not count. Works on any bytes (not-JSON is found later by
 * `JSON.parse`).
 */
export function jsonTooDeep(raw: Buffer | string, limit: number = MAX_JSON_DEPTH): boolean {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
      continue;
    }
    if (b === QUOTE) inString = true;
    else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
      depth++;
      if (depth > limit) return true;
    } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) depth--;
  }
  return false;
}
