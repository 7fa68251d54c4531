import { describe, expect, it } from 'vitest';
import { hashSessionToken, isWellFormedToken, newSessionToken, signUserId, verifyUserHash } from '../../src/channels/webchat/identity.js';
import { originAllowed, parseOrigins } from '../../src/channels/webchat/origins.js';

const SECRET = 'site-secret-0123456789';
// Computed independently: python3 -c "import hmac,hashlib;print(hmac.new(b'site-secret-0123456789',b'user-42',hashlib.sha256).hexdigest())"
const USER_42_HASH = 'cf98b57eff6a0cdd8224007de09c3e54fd97b55be7c8b052018be1592eaaaae4';

describe('web chat session tokens', () => {
  it('draws 256-bit tokens as 64 hex digits, never the same twice', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => newSessionToken()));
    expect(tokens.size).toBe(200);
    for (const t of tokens) expect(t).toMatch(/^[0-9a-f]{64}$/);
  });

  it('stores a token as its SHA-256, which is not the token', () => {
    expect(hashSessionToken('a'.repeat(64))).toBe('ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb');
  });

  it('accepts only well-formed tokens', () => {
    expect(isWellFormedToken(newSessionToken())).toBe(true);
    for (const bad of ['', 'A'.repeat(64), 'a'.repeat(63), `${'a'.repeat(64)}\n`, 42, undefined]) expect(isWellFormedToken(bad)).toBe(false);
  });
});

describe('web chat identity of logged-in visitors', () => {
  it('signs a user id as lower-case hex HMAC-SHA256 keyed by the identity secret', () => {
    expect(signUserId('user-42', SECRET)).toBe(USER_42_HASH);
  });

  it('accepts the site\'s hash, in either case, and refuses any other', () => {
    expect(verifyUserHash('user-42', USER_42_HASH, SECRET)).toBe(true);
    expect(verifyUserHash('user-42', USER_42_HASH.toUpperCase(), SECRET)).toBe(true);
    expect(verifyUserHash('user-43', USER_42_HASH, SECRET)).toBe(false);
    expect(verifyUserHash('user-42', USER_42_HASH, 'another-secret-0123456')).toBe(false);
    expect(verifyUserHash('user-42', USER_42_HASH.slice(0, 62), SECRET)).toBe(false);
    expect(verifyUserHash('user-42', `${USER_42_HASH.slice(0, 62)}zz`, SECRET)).toBe(false);
    expect(verifyUserHash('user-42', '', SECRET)).toBe(false);
  });
});

describe('WEBCHAT_ORIGINS', () => {
  const { patterns, problems } = parseOrigins('https://shop.example.com, http://127.0.0.1:8080,https://*.example.org');

  it('parses exact origins, ports and subdomain wildcards', () => {
    expect(problems).toEqual([]);
    expect(patterns.map((p) => p.source)).toEqual(['https://shop.example.com', 'http://127.0.0.1:8080', 'https://*.example.org']);
  });

  it('allows exactly the listed origins, default ports included', () => {
    expect(originAllowed('https://shop.example.com', patterns)).toBe(true);
    expect(originAllowed('https://shop.example.com:443', patterns)).toBe(true);
    expect(originAllowed('http://127.0.0.1:8080', patterns)).toBe(true);
    expect(originAllowed('https://a.b.example.org', patterns)).toBe(true);
  });

  it('refuses other schemes, ports, hosts, look-alikes and missing origins', () => {
    for (const o of ['http://shop.example.com', 'https://shop.example.com:8443', 'http://127.0.0.1:8081', 'https://example.org',
      'https://evilexample.org', 'https://shop.example.com.evil.test', 'null', '', undefined]) {
      expect(originAllowed(o, patterns), String(o)).toBe(false);
    }
  });

  it('names every entry that is not an origin', () => {
    const bad = parseOrigins('shop.example.com,https://ok.example.com,https://x.example.com/path,ftp://x.example.com');
    expect(bad.patterns.map((p) => p.source)).toEqual(['https://ok.example.com']);
    expect(bad.problems).toHaveLength(3);
    expect(bad.problems[1]).toContain('https://x.example.com/path');
  });
});
