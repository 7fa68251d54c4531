import { createHmac } from 'node:crypto';
import * as crypto from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { signHmacSha256, verifyHmacSha256 } from '../../src/channels/verify-hmac.js';

// Watch the comparison: a matching-length signature must be compared in constant time.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const SECRET = 'wa-app-secret-for-tests';
const body = Buffer.from(JSON.stringify({ object: 'whatsapp_business_account', entry: [] }));
const hex = createHmac('sha256', SECRET).update(body).digest('hex');
const good = `sha256=${hex}`;

describe('verifyHmacSha256', () => {
  beforeEach(() => { vi.mocked(crypto.timingSafeEqual).mockClear(); });

  it('accepts sha256=<hex HMAC-SHA256 of the raw body>', () => {
    expect(verifyHmacSha256(SECRET, body, good)).toBe(true);
  });

  it('accepts the digest in upper-case hex', () => {
    expect(verifyHmacSha256(SECRET, body, `sha256=${hex.toUpperCase()}`)).toBe(true);
  });

  it('reads the first value when a header arrives twice', () => {
    expect(verifyHmacSha256(SECRET, body, [good, 'sha256=00'])).toBe(true);
    expect(verifyHmacSha256(SECRET, body, ['sha256=00', good])).toBe(false);
  });

  it('refuses a missing or empty header', () => {
    expect(verifyHmacSha256(SECRET, body, undefined)).toBe(false);
    expect(verifyHmacSha256(SECRET, body, '')).toBe(false);
    expect(verifyHmacSha256(SECRET, body, [])).toBe(false);
  });

  it('refuses the right digest without the sha256= prefix, or with another prefix', () => {
    expect(verifyHmacSha256(SECRET, body, hex)).toBe(false);
    expect(verifyHmacSha256(SECRET, body, `sha1=${hex}`)).toBe(false);
    expect(verifyHmacSha256(SECRET, body, `SHA256=${hex}`)).toBe(false);
    expect(verifyHmacSha256(SECRET, body, ` sha256=${hex}`)).toBe(false);
  });

  it('refuses a digest of the wrong length without throwing', () => {
    for (const sig of ['sha256=', `sha256=${hex.slice(0, 62)}`, `sha256=${hex.slice(0, 63)}`, `sha256=${hex}${hex}`, 'sha256=zz']) {
      expect(() => verifyHmacSha256(SECRET, body, sig), sig).not.toThrow();
      expect(verifyHmacSha256(SECRET, body, sig), sig).toBe(false);
    }
  });

  it('skips the comparison for a wrong length but compares a right-length digest in constant time', () => {
    verifyHmacSha256(SECRET, body, `sha256=${hex.slice(0, 40)}`);
    expect(crypto.timingSafeEqual).not.toHaveBeenCalled();
    const wrong = `sha256=${hex.slice(0, 63)}${hex[63] === '0' ? '1' : '0'}`;
    expect(verifyHmacSha256(SECRET, body, wrong)).toBe(false);
    expect(crypto.timingSafeEqual).toHaveBeenCalledTimes(1);
    expect(verifyHmacSha256(SECRET, body, good)).toBe(true);
    expect(crypto.timingSafeEqual).toHaveBeenCalledTimes(2);
  });

  it('refuses a signature made with another secret or over another body', () => {
    expect(verifyHmacSha256('another-secret', body, good)).toBe(false);
    expect(verifyHmacSha256(SECRET, Buffer.from(`${body.toString()} `), good)).toBe(false);
    expect(verifyHmacSha256(SECRET, Buffer.alloc(0), good)).toBe(false);
  });

  it('checks the raw bytes, so re-serialised JSON with the same meaning does not pass', () => {
    const pretty = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 2));
    expect(verifyHmacSha256(SECRET, pretty, good)).toBe(false);
  });

  it('verifies bodies with non-ASCII text byte for byte', () => {
    const utf8 = Buffer.from('{"text":"Grüße 👋 你好"}', 'utf8');
    expect(verifyHmacSha256(SECRET, utf8, signHmacSha256(SECRET, utf8))).toBe(true);
    expect(verifyHmacSha256(SECRET, utf8, signHmacSha256(SECRET, Buffer.from(utf8.toString('latin1'), 'utf8')))).toBe(false);
  });
});

describe('signHmacSha256', () => {
  it('produces what verifyHmacSha256 accepts, for strings and buffers alike', () => {
    expect(signHmacSha256(SECRET, body)).toBe(good);
    expect(signHmacSha256(SECRET, body.toString('utf8'))).toBe(good);
    expect(verifyHmacSha256(SECRET, body, signHmacSha256(SECRET, body))).toBe(true);
  });
});
