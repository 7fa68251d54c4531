import { createCipheriv, createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  aesKeyOf,
  decrypt,
  encrypt,
  msgSignature,
  pad,
  unpad,
  verifyMsgSignature,
  type DecryptResult,
} from '../../src/channels/wechat/crypto.js';

// The official WXBizMsgCrypt vectors (platform-facts.md, appendix; developer.work.weixin.qq.com/document/path/90968).
const TOKEN = 'QDG6eK';
const KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const CORP_ID = 'wx5823bf96d3bd56c7';
const VERIFY = {
  signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
  timestamp: '1409659589',
  nonce: '263014780',
  echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
  plaintext: '1616140317555161061',
};
const MESSAGE = {
  signature: '477715d11cdb4164915debcba66cb864d751f3e6',
  timestamp: '1409659813',
  nonce: '1372623149',
  encrypt:
    'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
};

/** The 16 random bytes a vector was made with, read by decrypting it independently of the module. */
function randomOf(encrypted: string): Buffer {
  const key = Buffer.from(`${KEY}=`, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  return Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64')), decipher.final()]).subarray(0, 16);
}

function failureCode(result: DecryptResult): string {
  return result.ok ? `ok:${result.message}` : result.code;
}

/** Flips one bit of the ciphertext byte at `index` (negative = from the end). */
function flipByte(encrypted: string, index: number): string {
  const bytes = Buffer.from(encrypted, 'base64');
  const at = index < 0 ? bytes.length + index : index;
  bytes[at] = bytes[at]! ^ 0x01;
  return bytes.toString('base64');
}

describe('msgSignature against the official vectors', () => {
  it('signs the URL verification request as WeCom did', () => {
    expect(msgSignature(TOKEN, VERIFY.timestamp, VERIFY.nonce, VERIFY.echostr)).toBe(VERIFY.signature);
  });

  it('signs the message callback as WeCom did', () => {
    expect(msgSignature(TOKEN, MESSAGE.timestamp, MESSAGE.nonce, MESSAGE.encrypt)).toBe(MESSAGE.signature);
  });

  it('accepts the right signature in either case and refuses a changed value or a malformed signature', () => {
    expect(verifyMsgSignature(TOKEN, VERIFY.timestamp, VERIFY.nonce, VERIFY.echostr, VERIFY.signature)).toBe(true);
    expect(verifyMsgSignature(TOKEN, VERIFY.timestamp, VERIFY.nonce, VERIFY.echostr, VERIFY.signature.toUpperCase())).toBe(true);
    expect(verifyMsgSignature(TOKEN, '1409659590', VERIFY.nonce, VERIFY.echostr, VERIFY.signature)).toBe(false);
    expect(verifyMsgSignature('other', VERIFY.timestamp, VERIFY.nonce, VERIFY.echostr, VERIFY.signature)).toBe(false);
    expect(verifyMsgSignature(TOKEN, VERIFY.timestamp, VERIFY.nonce, VERIFY.echostr, VERIFY.signature.slice(1))).toBe(false);
    expect(verifyMsgSignature(TOKEN, VERIFY.timestamp, VERIFY.nonce, VERIFY.echostr, 'z'.repeat(40))).toBe(false);
  });
});

describe('decrypt against the official vectors', () => {
  it('opens the URL verification echostr to its plaintext', () => {
    expect(decrypt(KEY, VERIFY.echostr, CORP_ID)).toEqual({ ok: true, message: VERIFY.plaintext });
  });

  it('opens the message callback to the XML text message', () => {
    const result = decrypt(KEY, MESSAGE.encrypt, CORP_ID);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.message).toContain('<Content><![CDATA[hello]]></Content>');
    expect(result.message).toContain('<MsgId>4561255354251345929</MsgId>');
  });

  it('reads the echostr from a URL-encoded query (+, / and = percent-encoded) the same way', () => {
    const query = `msg_signature=${VERIFY.signature}&timestamp=${VERIFY.timestamp}&nonce=${VERIFY.nonce}&echostr=${encodeURIComponent(VERIFY.echostr)}`;
    expect(query).toContain('%2B');
    expect(query).toContain('%2F');
    expect(query).toContain('%3D%3D');
    const echostr = new URLSearchParams(query).get('echostr')!;
    expect(echostr).toBe(VERIFY.echostr);
    expect(verifyMsgSignature(TOKEN, VERIFY.timestamp, VERIFY.nonce, echostr, VERIFY.signature)).toBe(true);
    expect(decrypt(KEY, echostr, CORP_ID)).toEqual({ ok: true, message: VERIFY.plaintext });
  });

  it('refuses an echostr whose + became a space (form-decoded without percent-encoding): bad_base64, no exception', () => {
    const mangled = new URLSearchParams(`echostr=${VERIFY.echostr}`).get('echostr')!;
    expect(mangled).toContain(' ');
    expect(failureCode(decrypt(KEY, mangled, CORP_ID))).toBe('bad_base64');
  });
});

describe('encrypt', () => {
  it('reproduces both official ciphertexts byte for byte with their random prefix', () => {
    expect(encrypt(KEY, VERIFY.plaintext, CORP_ID, randomOf(VERIFY.echostr))).toBe(VERIFY.echostr);
    const message = decrypt(KEY, MESSAGE.encrypt, CORP_ID);
    if (!message.ok) throw new Error('the message vector must decrypt');
    expect(encrypt(KEY, message.message, CORP_ID, randomOf(MESSAGE.encrypt))).toBe(MESSAGE.encrypt);
  });

  it('round-trips Chinese text, emoji and an empty message with a fresh random prefix each time', () => {
    for (const text of ['你好，我想退款 🙏', '', '<xml><Event><![CDATA[kf_msg_or_event]]></Event></xml>']) {
      const a = encrypt(KEY, text, 'ww0123456789abcdef');
      const b = encrypt(KEY, text, 'ww0123456789abcdef');
      expect(a).not.toBe(b);
      expect(decrypt(KEY, a, 'ww0123456789abcdef')).toEqual({ ok: true, message: text });
    }
  });

  it('throws on a bad key or a random prefix that is not 16 bytes (a programming error, not input)', () => {
    expect(() => encrypt('short', 'x', CORP_ID)).toThrow(/43 base64 characters/);
    expect(() => encrypt(KEY, 'x', CORP_ID, new Uint8Array(15))).toThrow(/16 bytes/);
  });
});

describe('padding to 32-byte blocks', () => {
  // 16 random + 4 length + receive id (18 bytes) = 38 bytes around the message.
  const overhead = 16 + 4 + CORP_ID.length;

  it('pads every plaintext length around the block boundaries to whole 32-byte blocks and back', () => {
    for (let total = 60; total <= 100; total += 1) {
      const text = 'a'.repeat(total - overhead);
      const encrypted = encrypt(KEY, text, CORP_ID, new Uint8Array(16));
      const bytes = Buffer.from(encrypted, 'base64').length;
      expect(bytes % 32).toBe(0);
      // A plaintext of exactly n×32 bytes still gets a full block of padding (value 32).
      expect(bytes).toBe((Math.floor(total / 32) + 1) * 32);
      expect(decrypt(KEY, encrypted, CORP_ID)).toEqual({ ok: true, message: text });
    }
  });

  it('pads with 1 to 32 bytes of value n and unpads only that', () => {
    expect([...pad(Buffer.alloc(31)).subarray(31)]).toEqual([1]);
    expect([...pad(Buffer.alloc(32)).subarray(32)]).toEqual(Array(32).fill(32));
    expect([...pad(Buffer.alloc(33)).subarray(33)]).toEqual(Array(31).fill(31));
    expect(unpad(pad(Buffer.from('abc')))?.toString()).toBe('abc');
    expect(unpad(Buffer.alloc(32, 0))).toBeUndefined();
    expect(unpad(Buffer.alloc(32, 33))).toBeUndefined();
    expect(unpad(Buffer.concat([Buffer.alloc(29), Buffer.from([2, 3, 3])]))).toBeUndefined();
    expect(unpad(Buffer.alloc(16, 16))).toBeUndefined();
  });

  it('refuses a ciphertext with only 16-byte AES padding (what Node would write by default) when it is not whole 32-byte blocks', () => {
    const key = aesKeyOf(KEY)!;
    const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
    // 16 random + 4 length + 2 message + 18 corp id = 40 bytes → 48 with 16-byte padding.
    const length = Buffer.alloc(4);
    length.writeUInt32BE(2, 0);
    const encrypted = Buffer.concat([cipher.update(Buffer.concat([Buffer.alloc(16), length, Buffer.from('hi'), Buffer.from(CORP_ID)])), cipher.final()]);
    expect(encrypted.length).toBe(48);
    expect(failureCode(decrypt(KEY, encrypted.toString('base64'), CORP_ID))).toBe('bad_length');
  });
});

describe('bad input becomes a failure code, never an exception', () => {
  const good = encrypt(KEY, 'hello', CORP_ID, new Uint8Array(16));

  it.each([
    ['a key that is too short', 'abc', good, CORP_ID, 'bad_key'],
    ['a key with a character outside base64', `${KEY.slice(0, 42)}!`, good, CORP_ID, 'bad_key'],
    ['a 44-character key', `${KEY}A`, good, CORP_ID, 'bad_key'],
    ['an empty ciphertext', KEY, '', CORP_ID, 'bad_length'],
    ['a ciphertext with spaces', KEY, 'abc def=', CORP_ID, 'bad_base64'],
    ['base64 with the wrong padding', KEY, `${good.slice(0, -1)}==`, CORP_ID, 'bad_base64'],
    ['a truncated ciphertext (one block short)', KEY, Buffer.from(good, 'base64').subarray(0, 16).toString('base64'), CORP_ID, 'bad_length'],
    ['a truncated ciphertext (a few bytes short)', KEY, Buffer.from(good, 'base64').subarray(0, 29).toString('base64'), CORP_ID, 'bad_length'],
    ['a ciphertext over the size limit', KEY, 'A'.repeat(1024 * 1024 + 4), CORP_ID, 'bad_length'],
    ['another receive id', KEY, good, 'ww_other_corp', 'wrong_receive_id'],
    ['a receive id that is a prefix of the real one', KEY, good, CORP_ID.slice(0, -1), 'wrong_receive_id'],
  ])('%s', (_what, key, encrypted, receiveId, code) => {
    expect(failureCode(decrypt(key, encrypted, receiveId))).toBe(code);
  });

  it('refuses a ciphertext made with another key (garbled padding)', () => {
    const otherKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
    expect(failureCode(decrypt(otherKey, good, CORP_ID))).toBe('bad_padding');
    expect(failureCode(decrypt(otherKey, VERIFY.echostr, CORP_ID))).toBe('bad_padding');
  });

  it('refuses tampered ciphertexts: the last block breaks the padding, the second-to-last the receive id', () => {
    expect(failureCode(decrypt(KEY, flipByte(MESSAGE.encrypt, -1), CORP_ID))).toBe('bad_padding');
    // CBC: a flipped bit in ciphertext byte j garbles its 16-byte AES block and flips plaintext byte j + 16.
    // 'hello' puts the corp id at plaintext bytes 25–42, so ciphertext byte 14 changes one of its letters.
    expect(failureCode(decrypt(KEY, flipByte(good, 14), CORP_ID))).toBe('wrong_receive_id');
  });

  it('refuses a msg_len that points past the end (bad_length) and a message that is not UTF-8 (bad_encoding)', () => {
    // Flipping the top bit of msg_len (plaintext byte 16) through ciphertext byte 0 makes it huge.
    const bytes = Buffer.from(good, 'base64');
    bytes[0] = bytes[0]! ^ 0x80;
    expect(failureCode(decrypt(KEY, bytes.toString('base64'), CORP_ID))).toBe('bad_length');
    const notUtf8 = encryptRaw(Buffer.from([0xff, 0xfe, 0x41]));
    expect(failureCode(decrypt(KEY, notUtf8, CORP_ID))).toBe('bad_encoding');
  });

  it('never throws on random garbage of any length', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 300; i += 1) {
      const bytes = Buffer.alloc(next() % 200);
      for (let j = 0; j < bytes.length; j += 1) bytes[j] = next() % 256;
      const result = decrypt(KEY, bytes.toString('base64'), CORP_ID);
      expect(result.ok).toBe(false);
    }
  });
});

/** Encrypts raw message bytes in the WeCom layout, for a message that is not valid UTF-8. */
function encryptRaw(message: Buffer): string {
  const key = aesKeyOf(KEY)!;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(message.length, 0);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  const plain = pad(Buffer.concat([Buffer.alloc(16), length, message, Buffer.from(CORP_ID)]));
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
}
