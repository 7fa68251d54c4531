import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * WeCom's callback crypto (WXBizMsgCrypt), as platform-facts.md §2 and its
 * appendix describe it, with node:crypto only:
 * - `msg_signature = SHA1(sort(token, timestamp, nonce, encrypt).join(''))`, hex;
 * - AES-256-CBC, key = Base64(EncodingAESKey + "="), IV = key[0:16];
 * - PKCS#7 padding to 32-byte blocks (not AES's 16), so Node's auto-padding is
 *   off and padding is added and checked here;
 * - plaintext = random(16) ‖ msg_len (4 bytes, big-endian) ‖ msg ‖ receive id.
 *
 * CBC has no integrity of its own: a flipped bit in one block garbles that
 * block and flips the same bit in the next. Callers check `msg_signature`
 * first; the checks below only make sure no input, however bad, throws.
 */

/** Why a ciphertext could not be opened; stable codes for logs and tests. */
export type DecryptFailureCode =
  /** The EncodingAESKey is not 43 base64 characters that decode to 32 bytes. */
  | 'bad_key'
  /** The ciphertext is not canonical base64. */
  | 'bad_base64'
  /** Empty, over the size limit, not whole 32-byte blocks, or a msg_len that does not fit. */
  | 'bad_length'
  /** The last byte is not a PKCS#7 pad of 1–32 equal bytes. */
  | 'bad_padding'
  /** The message is not valid UTF-8. */
  | 'bad_encoding'
  /** The receive id after the message is not the expected corp id. */
  | 'wrong_receive_id';

export type DecryptResult = { ok: true; message: string } | { ok: false; code: DecryptFailureCode };

/** WXBizMsgCrypt pads to 32-byte blocks, not AES's 16 (platform-facts.md §2). */
const PAD_BLOCK = 32;
const RANDOM_BYTES = 16;
const LENGTH_BYTES = 4;
/** Callback bodies are refused above 1 MiB (SPEC §10); a larger ciphertext is never opened. */
export const MAX_ENCRYPTED_CHARS = 1024 * 1024;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const ENCODING_AES_KEY = /^[A-Za-z0-9+/]{43}$/;

/** The hex SHA-1 over the four values sorted as strings and joined, as WeCom signs callbacks. */
export function msgSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  const joined = [token, timestamp, nonce, encrypted].sort().join('');
  return createHash('sha1').update(joined, 'utf8').digest('hex');
}

/** Compares a received `msg_signature` with the expected one in constant time. */
export function verifyMsgSignature(
  token: string,
  timestamp: string,
  nonce: string,
  encrypted: string,
  given: string,
): boolean {
  if (!/^[0-9a-fA-F]{40}$/.test(given)) return false;
  const expected = Buffer.from(msgSignature(token, timestamp, nonce, encrypted), 'hex');
  return timingSafeEqual(expected, Buffer.from(given.toLowerCase(), 'hex'));
}

/** The 32-byte AES key from the 43-character EncodingAESKey, or undefined when it is not one. */
export function aesKeyOf(encodingAesKey: string): Buffer | undefined {
  if (!ENCODING_AES_KEY.test(encodingAesKey)) return undefined;
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  return key.length === 32 ? key : undefined;
}

/** Opens a callback's `Encrypt` (or a URL verification's `echostr`); never throws. */
export function decrypt(encodingAesKey: string, encrypted: string, expectedReceiveId: string): DecryptResult {
  const key = aesKeyOf(encodingAesKey);
  if (!key) return { ok: false, code: 'bad_key' };
  if (encrypted.length === 0 || encrypted.length > MAX_ENCRYPTED_CHARS) return { ok: false, code: 'bad_length' };
  if (!BASE64.test(encrypted)) return { ok: false, code: 'bad_base64' };
  const cipherBytes = Buffer.from(encrypted, 'base64');
  if (cipherBytes.length === 0 || cipherBytes.length % PAD_BLOCK !== 0) return { ok: false, code: 'bad_length' };

  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  decipher.setAutoPadding(false);
  // With auto-padding off and whole blocks in, node:crypto does not throw.
  const padded = Buffer.concat([decipher.update(cipherBytes), decipher.final()]);
  const plain = unpad(padded);
  if (!plain) return { ok: false, code: 'bad_padding' };
  if (plain.length < RANDOM_BYTES + LENGTH_BYTES) return { ok: false, code: 'bad_length' };

  const msgLength = plain.readUInt32BE(RANDOM_BYTES);
  const msgStart = RANDOM_BYTES + LENGTH_BYTES;
  if (msgLength > plain.length - msgStart) return { ok: false, code: 'bad_length' };
  const receiveId = plain.subarray(msgStart + msgLength);
  const expected = Buffer.from(expectedReceiveId, 'utf8');
  if (receiveId.length !== expected.length || !timingSafeEqual(receiveId, expected)) {
    return { ok: false, code: 'wrong_receive_id' };
  }
  try {
    const message = new TextDecoder('utf-8', { fatal: true }).decode(plain.subarray(msgStart, msgStart + msgLength));
    return { ok: true, message };
  } catch {
    return { ok: false, code: 'bad_encoding' };
  }
}

/**
 * Encrypts `plaintext` as WeCom does for callbacks (used by the fake and by
 * tests). `random16` fixes the 16 leading random bytes, so a test can
 * reproduce the official vectors; it defaults to fresh random bytes.
 * Throws on a bad EncodingAESKey or random16: that is a programming error.
 */
export function encrypt(encodingAesKey: string, plaintext: string, receiveId: string, random16?: Uint8Array): string {
  const key = aesKeyOf(encodingAesKey);
  if (!key) throw new Error('encrypt: the EncodingAESKey must be 43 base64 characters (32 bytes once decoded).');
  const random = random16 ? Buffer.from(random16) : randomBytes(RANDOM_BYTES);
  if (random.length !== RANDOM_BYTES) throw new Error('encrypt: random16 must be exactly 16 bytes.');
  const message = Buffer.from(plaintext, 'utf8');
  const length = Buffer.alloc(LENGTH_BYTES);
  length.writeUInt32BE(message.length, 0);
  const padded = pad(Buffer.concat([random, length, message, Buffer.from(receiveId, 'utf8')]));
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

/** PKCS#7 to a multiple of 32 bytes: always 1–32 bytes of value n. */
export function pad(data: Buffer): Buffer {
  const n = PAD_BLOCK - (data.length % PAD_BLOCK);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

/** Removes a PKCS#7 pad of 1–32 equal bytes; undefined when the pad is not one. */
export function unpad(data: Buffer): Buffer | undefined {
  if (data.length === 0 || data.length % PAD_BLOCK !== 0) return undefined;
  const n = data[data.length - 1]!;
  if (n < 1 || n > PAD_BLOCK) return undefined;
  for (let i = data.length - n; i < data.length; i += 1) if (data[i] !== n) return undefined;
  return data.subarray(0, data.length - n);
}
