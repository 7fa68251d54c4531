/**
 * Splits a text into parts of at most `maxBytes` UTF-8 bytes, never inside a
 * character (a surrogate pair stays whole), preferring to break after a
 * newline or a space in the last fifth of a part. WeChat's `text.content`
 * limit is 2048 bytes, not characters: 2048 characters of Chinese are about
 * 6 KB (send_msg doc, K5).
 */
export function splitUtf8(text: string, maxBytes: number): string[] {
  if (maxBytes < 4) throw new RangeError('splitUtf8: maxBytes must hold one character (4 bytes)');
  const parts: string[] = [];
  let rest = text;
  while (Buffer.byteLength(rest, 'utf8') > maxBytes) {
    let end = 0;
    let bytes = 0;
    let lastBreak = -1;
    for (const ch of rest) {
      const size = Buffer.byteLength(ch, 'utf8');
      if (bytes + size > maxBytes) break;
      bytes += size;
      end += ch.length;
      if ((ch === '\n' || ch === ' ') && bytes > maxBytes * 0.8) lastBreak = end;
    }
    const cut = lastBreak > 0 ? lastBreak : end;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}
