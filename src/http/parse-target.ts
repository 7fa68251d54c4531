/** A request target the server can route: its path (as `URL` normalises it) and query. */
export interface RequestTarget {
  path: string;
  query: URLSearchParams;
  /** The query exactly as the client sent it, without the leading `?` (what a signed GET signs). */
  rawQuery: string;
}

export type TargetResult = { ok: true; target: RequestTarget } | { ok: false; reason: string };

/** A `%` not followed by two hex digits. */
const BAD_PERCENT = /%(?![0-9A-Fa-f]{2})/;

/**
 * Reads the request target of the request line without ever throwing. Only
 * the origin form (`/path?query`, RFC 9112 §3.2.1) is accepted: the bot is no
 * proxy, so the absolute form (`http://host/x`), the asterisk form (`*`) and
 * targets starting with `//` (which `new URL` takes for a host name, and
 * throws on `//`, `//@` or `//[`) are refused, as are broken
 * percent-encodings. A refusal carries the sentence the client is answered.
 */
export function parseRequestTarget(raw: string | undefined): TargetResult {
  if (!raw || raw[0] !== '/') return { ok: false, reason: 'The request target must be a path starting with "/" (origin form); absolute URLs and "*" are not served here.' };
  if (raw.startsWith('//')) return { ok: false, reason: 'The request target must not start with "//".' };
  if (raw.includes('#')) return { ok: false, reason: 'The request target must not contain a fragment ("#").' };
  if (BAD_PERCENT.test(raw)) return { ok: false, reason: 'The request target has a "%" that is not followed by two hex digits.' };
  const cut = raw.indexOf('?');
  try {
    // Percent-encoded bytes must decode to UTF-8 text (e.g. a lone %FF does not).
    decodeURIComponent(cut === -1 ? raw : raw.slice(0, cut));
    const url = new URL(raw, 'http://localhost');
    // A backslash counts as "/" in http URLs: `/\evil.example/x` would name another host.
    if (url.host !== 'localhost') return { ok: false, reason: 'The request target must be a path on this server.' };
    return { ok: true, target: { path: url.pathname, query: url.searchParams, rawQuery: cut === -1 ? '' : raw.slice(cut + 1) } };
  } catch {
    return { ok: false, reason: 'The request target is not a valid path.' };
  }
}
