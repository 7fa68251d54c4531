import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseMultipart } from '../shared/parse-multipart.js';
import type { Answer, FakeContext } from './fake-context.js';
import { MEDIA_LIMITS, MEDIA_TYPES, MIN_MEDIA_BYTES, type MediaType } from './media-store.js';

const CONTENT_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  amr: 'voice/amr',
  mp4: 'video/mp4',
  pdf: 'application/pdf',
  txt: 'text/plain',
};

function contentTypeOf(filename: string): string {
  return CONTENT_TYPES[filename.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

/**
 * GET /cgi-bin/media/get?media_id: the bytes with their Content-Type and a
 * `Content-disposition: attachment; filename="…"` header (media/get doc,
 * path/90254); errors come as JSON like every other answer: 41006 no
 * media_id, 40007 unknown or older than 3 days.
 */
export function getMedia(ctx: FakeContext, url: URL, res: ServerResponse): Answer | undefined {
  const mediaId = url.searchParams.get('media_id');
  if (!mediaId) return { errcode: 41006 };
  const item = ctx.media.get(mediaId);
  if (!item) return { errcode: 40007 };
  res.writeHead(200, {
    'content-type': item.contentType,
    'content-length': item.bytes.length,
    'content-disposition': `attachment; filename="${item.filename}"`,
  });
  res.end(item.bytes);
  return undefined;
}

/**
 * POST /cgi-bin/media/upload?type=image|voice|video|file with multipart/form-data, the file in
 * the part named `media` with a filename (path/90253); answers `{type, media_id, created_at}`
 * with created_at as a string of unix seconds.
 */
export function uploadMedia(ctx: FakeContext, url: URL, req: IncomingMessage, raw: Buffer): Answer {
  const type = url.searchParams.get('type') ?? '';
  if (!MEDIA_TYPES.includes(type as MediaType)) return { errcode: 40005 };
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(req.headers['content-type'] ?? '');
  if (!boundary) return { errcode: 44001 };
  const part = parseMultipart(raw, (boundary[1] ?? boundary[2] ?? '').trim()).find((p) => p.name === 'media');
  if (!part || part.filename === undefined || part.data.length === 0) return { errcode: 44001 };
  const limits = MEDIA_LIMITS[type as MediaType];
  if (part.data.length <= MIN_MEDIA_BYTES || part.data.length > limits.maxBytes) return { errcode: limits.sizeErrcode };
  const stored = ctx.media.add({
    type: type as MediaType,
    bytes: part.data,
    contentType: contentTypeOf(part.filename),
    filename: part.filename,
    uploaded: true,
  });
  return { errcode: 0, type, media_id: stored.mediaId, created_at: String(Math.floor(stored.createdAt / 1000)) };
}
