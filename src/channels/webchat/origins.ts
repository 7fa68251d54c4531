/**
 * Site origins allowed to embed the widget (SPEC §12): exact origins
 * (`https://shop.example.com`, port included when not the scheme's default)
 * or one leading wildcard label for subdomains (`https://*.example.com`).
 */
export interface OriginPattern {
  scheme: string;
  /** Host without port; with `wildcard`, the suffix every allowed host ends in (`.example.com`). */
  host: string;
  port: string;
  wildcard: boolean;
  /** As written, for CSP `frame-ancestors`, which takes the same syntax. */
  source: string;
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** Parses the comma list; each bad entry is returned as a problem naming it. */
export function parseOrigins(list: string): { patterns: OriginPattern[]; problems: string[] } {
  const patterns: OriginPattern[] = [];
  const problems: string[] = [];
  for (const raw of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    const wildcard = raw.includes('://*.');
    let url: URL;
    try {
      url = new URL(wildcard ? raw.replace('://*.', '://wildcard.') : raw);
    } catch {
      problems.push(`"${raw}" is not an origin; write it like https://shop.example.com`);
      continue;
    }
    if (!DEFAULT_PORTS[url.protocol] || url.pathname !== '/' || url.search || url.hash || raw.endsWith('/') || url.username) {
      problems.push(`"${raw}" is not an origin; write scheme, host and port only, like https://shop.example.com`);
      continue;
    }
    const port = url.port || DEFAULT_PORTS[url.protocol]!;
    const host = wildcard ? url.hostname.slice('wildcard'.length) : url.hostname;
    patterns.push({ scheme: url.protocol, host, port, wildcard, source: raw });
  }
  return { patterns, problems };
}

/** True when `origin` (a browser's `Origin` header) is one of `patterns`. */
export function originAllowed(origin: string | undefined, patterns: readonly OriginPattern[]): boolean {
  if (!origin || origin === 'null') return false;
  let url: URL;
  try { url = new URL(origin); } catch { return false; }
  const port = url.port || DEFAULT_PORTS[url.protocol];
  return patterns.some((p) => p.scheme === url.protocol && p.port === port
    && (p.wildcard ? url.hostname.endsWith(p.host) && url.hostname.length > p.host.length : url.hostname === p.host));
}
