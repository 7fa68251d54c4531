import { describe, expect, it } from 'vitest';
import { checkFiles, MB } from '../../src/core/files/file-limits.js';
import { plainMime, type AgentFile } from '../../src/core/files/agent-file.js';
import { fileSteps } from '../../src/channels/file-steps.js';
import { WHATSAPP_CAPTION, WHATSAPP_FILE_LIMITS } from '../../src/channels/whatsapp/file-limits.js';
import { FileLinks } from '../../src/channels/api/file-links.js';
import { FileOverLimit, multipartBody } from '../../src/channels/multipart-body.js';
import { parseMultipart } from '../fakes/shared/parse-multipart.js';
import { describeFailure } from '../../src/handlers/describe-failure.js';

const file = (name: string, mime: string, size?: number): AgentFile => ({ name, mime, ...(size !== undefined ? { size } : {}), platform: 'slack', ref: `https://files.slack.com/${name}` });
const CHANNELS = { whatsapp: { label: 'WhatsApp', fileLimits: WHATSAPP_FILE_LIMITS }, sms: { label: 'SMS' } };

describe('checkFiles', () => {
  it('takes files of the channel\'s types within their sizes, and a file whose size the messenger did not say', () => {
    expect(checkFiles(CHANNELS, 'whatsapp', [file('a.png', 'image/png', 5 * MB), file('b.pdf', 'application/pdf', 99 * MB), file('c.jpg', 'image/jpeg')])).toEqual({ ok: true, value: undefined });
  });

  it('refuses a file over its kind\'s limit, naming the size and the limit', () => {
    expect(checkFiles(CHANNELS, 'whatsapp', [file('a.png', 'image/png', 5 * MB + 1)])).toEqual({ ok: false, failure: { code: 'file_too_large', detail: { file: 'a.png', channel: 'WhatsApp', kind: 'image', size: '5.1', limit: '5' } } });
    expect(checkFiles(CHANNELS, 'whatsapp', [file('v.mp4', 'video/mp4', 17 * MB)])).toMatchObject({ failure: { detail: { size: '17', limit: '16', kind: 'video' } } });
  });

  it('refuses a type no rule takes, listing what the channel takes; a channel without limits takes none', () => {
    const refused = checkFiles(CHANNELS, 'whatsapp', [file('a.gif', 'image/gif', 10)]);
    expect(refused).toMatchObject({ ok: false, failure: { code: 'file_type_unsupported', detail: { file: 'a.gif', mime: 'image/gif' } } });
    expect(refused.ok ? '' : String(refused.failure.detail?.accepted)).toContain('image/jpeg, image/png (5 MB)');
    expect(checkFiles(CHANNELS, 'sms', [file('a.png', 'image/png', 10)])).toMatchObject({ failure: { code: 'file_type_unsupported', detail: { accepted: '' } } });
  });

  it('refuses a file over what its messenger lets the bot fetch, whatever the channel takes', () => {
    const big = { ...file('scan.pdf', 'application/pdf', 25 * MB), platform: 'telegram' as const, fetchLimit: 20 * MB };
    expect(checkFiles(CHANNELS, 'whatsapp', [big])).toEqual({ ok: false, failure: { code: 'file_too_large', detail: { file: 'scan.pdf', source: 'telegram', size: '25', limit: '20' } } });
    expect(describeFailure({ code: 'file_too_large', detail: { file: 'scan.pdf', source: 'telegram', size: '25', limit: '20' } })).toContain('Telegram lets bots fetch files of up to 20 MB');
  });

  it('reads MIME types as the limits compare them', () => {
    expect(plainMime('Image/PNG; charset=x')).toBe('image/png');
    expect(plainMime(undefined)).toBe('application/octet-stream');
    expect(plainMime('not a type')).toBe('application/octet-stream');
  });
});

describe('fileSteps', () => {
  it('puts the text as the caption of the first file that takes one', () => {
    const steps = fileSteps('look', [file('voice.ogg', 'audio/ogg'), file('a.png', 'image/png')], WHATSAPP_FILE_LIMITS, WHATSAPP_CAPTION);
    expect(steps.map((s) => (s.kind === 'file' ? [s.as, s.caption] : [s.kind]))).toEqual([['audio', undefined], ['image', 'look']]);
  });

  it('sends a text too long for a caption, or with no file to carry it, first on its own', () => {
    const long = 'x'.repeat(1025);
    expect(fileSteps(long, [file('a.png', 'image/png')], WHATSAPP_FILE_LIMITS, WHATSAPP_CAPTION).map((s) => s.kind)).toEqual(['text', 'file']);
    expect(fileSteps('hi', [file('voice.ogg', 'audio/ogg')], WHATSAPP_FILE_LIMITS, WHATSAPP_CAPTION).map((s) => s.kind)).toEqual(['text', 'file']);
    expect(fileSteps('  ', [file('a.png', 'image/png')], WHATSAPP_FILE_LIMITS, WHATSAPP_CAPTION)).toHaveLength(1);
  });
});

describe('FileLinks', () => {
  const links = new FileLinks('inbound-api-secret-0123456789');
  const f = file('invoice.pdf', 'application/pdf', 1234);

  it('opens its own link until it expires, and hides the messenger\'s address', () => {
    const token = links.seal(f, 10_000);
    expect(token).not.toContain('files.slack.com');
    expect(Buffer.from(token, 'base64url').toString('latin1')).not.toContain('slack');
    expect(links.open(token, 10_000)).toEqual(f);
    expect(links.open(token, 10_001)).toBe('expired');
  });

  it('refuses a changed link, one of another secret, and garbage', () => {
    const token = links.seal(f, 10_000);
    const flipped = `${token.slice(0, 30)}${token[30] === 'A' ? 'B' : 'A'}${token.slice(31)}`;
    expect(links.open(flipped, 0)).toBe('forged');
    expect(new FileLinks('another-secret-0123456789abc').open(token, 0)).toBe('forged');
    expect(links.open('', 0)).toBe('forged');
    expect(links.open('x'.repeat(5000), 0)).toBe('forged');
  });
});

describe('multipartBody', () => {
  const source = (chunks: number[]) => new ReadableStream<Uint8Array>({
    start(c) { for (const n of chunks) c.enqueue(new Uint8Array(n).fill(7)); c.close(); },
  });
  const read = async (s: ReadableStream<Uint8Array>) => { const out: Uint8Array[] = []; for await (const c of s) out.push(c); return Buffer.concat(out); };

  it('streams the fields and the file as multipart/form-data, chunk by chunk', async () => {
    const form = multipartBody({ messaging_product: 'whatsapp', type: 'image/png' }, { field: 'file', name: 'a "b".png', mime: 'image/png', body: source([1000, 2000]), maxBytes: 5000 });
    const boundary = /boundary=(.+)$/.exec(form.contentType)![1]!;
    const parts = parseMultipart(await read(form.body), boundary);
    expect(parts.map((p) => [p.name, p.filename, p.contentType, p.data.length])).toEqual([
      ['messaging_product', undefined, undefined, 8], ['type', undefined, undefined, 9], ['file', 'a _b_.png', 'image/png', 3000],
    ]);
    expect(form.overLimit()).toBe(false);
  });

  it('says its length when the file\'s is known, and breaks off a download shorter than it said', async () => {
    const form = multipartBody({ a: 'b' }, { field: 'file', name: 'x.bin', mime: 'application/octet-stream', body: source([100, 23]), maxBytes: 5000, size: 123 });
    expect((await read(form.body)).length).toBe(form.length);
    const short = multipartBody({}, { field: 'file', name: 'x.bin', mime: 'application/octet-stream', body: source([100]), maxBytes: 5000, size: 123 });
    await expect(read(short.body)).rejects.toThrow('the file had 100 bytes, not the 123 its download said');
    expect(multipartBody({}, { field: 'f', name: 'n', mime: 'a/b', body: source([1]), maxBytes: 5 }).length).toBeUndefined();
  });

  it('breaks off a file that turns out larger than its limit', async () => {
    const form = multipartBody({}, { field: 'media', name: 'big.bin', mime: 'application/octet-stream', body: source([3000, 3000]), maxBytes: 5000 });
    await expect(read(form.body)).rejects.toBeInstanceOf(FileOverLimit);
    expect(form.overLimit()).toBe(true);
  });
});
