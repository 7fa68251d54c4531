import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphClient } from '../../../src/channels/whatsapp/graph-client.js';
import type { StreamedFile } from '../../../src/channels/multipart-body.js';
import { startGraphFake, type GraphFake } from './start-graph-fake.js';

const TOKEN = 'EAAtest-token';
const PHONE_ID = '106540352242922';
const MB = 1024 * 1024;

const streamed = (bytes: Buffer, mime: string, name = 'file'): StreamedFile => ({
  field: 'file', name, mime, maxBytes: 200 * MB,
  body: new ReadableStream<Uint8Array>({ start(c) { for (let i = 0; i < bytes.length; i += 64 * 1024) c.enqueue(bytes.subarray(i, i + 64 * 1024)); c.close(); } }),
});

/** The fake's `POST /{phone-number-id}/media`, driven by the desk's own Graph client. */
describe('the Graph fake\'s media upload', () => {
  let fake: GraphFake;
  let graph: GraphClient;
  beforeAll(async () => {
    fake = await startGraphFake({ accessToken: TOKEN, phoneNumberId: PHONE_ID, pairRate: false });
    graph = new GraphClient(fake.url, TOKEN);
  });
  afterAll(async () => { await fake.close(); });

  it('takes a streamed PNG, answers its id, serves it back and sends it as an image message', async () => {
    const png = Buffer.alloc(300_000, 1);
    const up = await graph.uploadMedia(PHONE_ID, streamed(png, 'image/png', 'p.png'));
    expect(up.ok).toBe(true);
    const id = (up as { value: { id: string } }).value.id;
    expect(id).toMatch(/^\d{15,16}$/);
    expect(fake.uploads.at(-1)).toMatchObject({ id, mimeType: 'image/png', fileName: 'p.png', chunked: true });
    const back = await graph.fetchMedia(id);
    expect(back.ok && back.value.bytes.equals(png)).toBe(true);
    fake.windowOpen('4915112345678');
    const sent = await graph.sendMedia(PHONE_ID, '4915112345678', 'image', { id, caption: 'hi', filename: 'p.png' });
    expect(sent.ok).toBe(true);
    expect(fake.sent.at(-1)!.body.image).toEqual({ id, caption: 'hi' });
  });

  it('refuses a type Graph does not take with its (#100) list, and an image over 5 MB with 131053', async () => {
    const gif = await graph.uploadMedia(PHONE_ID, streamed(Buffer.alloc(100, 1), 'image/gif'));
    expect(gif).toMatchObject({ ok: false, error: { httpStatus: 400, code: 100 } });
    expect((gif as { error: { message: string } }).error.message).toContain("Received file of type 'image/gif'.");
    const big = await graph.uploadMedia(PHONE_ID, streamed(Buffer.alloc(5 * MB + 1, 1), 'image/png'));
    expect(big).toMatchObject({ ok: false, error: { httpStatus: 400, code: 131053 } });
    const doc = await graph.uploadMedia(PHONE_ID, streamed(Buffer.alloc(5 * MB + 1, 1), 'application/pdf'));
    expect(doc.ok).toBe(true);
  });

  it('refuses an upload without the token (401, 190) or for another number', async () => {
    const anon = await new GraphClient(fake.url, 'wrong').uploadMedia(PHONE_ID, streamed(Buffer.alloc(10, 1), 'image/png'));
    expect(anon).toMatchObject({ ok: false, error: { httpStatus: 401, code: 190 } });
    const other = await graph.uploadMedia('999', streamed(Buffer.alloc(10, 1), 'image/png'));
    expect(other).toMatchObject({ ok: false, error: { httpStatus: 400, code: 100 } });
  });
});
