import { createHash, randomInt } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { parseMultipart } from '../shared/parse-multipart.js';
import { requiredParameterError, type GraphErrorSpec } from './graph-errors.js';
import type { FakeMedia } from './graph-fake-types.js';

const MB = 1024 * 1024;

/**
 * The types and sizes `POST /{phone-number-id}/media` takes (Meta "Media"
 * reference, supported media types). WebP is there for stickers.
 */
const ACCEPTED: Record<string, number> = {
  'audio/aac': 16 * MB, 'audio/mp4': 16 * MB, 'audio/mpeg': 16 * MB, 'audio/amr': 16 * MB, 'audio/ogg': 16 * MB, 'audio/opus': 16 * MB,
  'application/vnd.ms-powerpoint': 100 * MB, 'application/msword': 100 * MB,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 100 * MB,
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 100 * MB,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 100 * MB,
  'application/pdf': 100 * MB, 'text/plain': 100 * MB, 'application/vnd.ms-excel': 100 * MB,
  'image/jpeg': 5 * MB, 'image/png': 5 * MB, 'image/webp': 500 * 1024,
  'video/mp4': 16 * MB, 'video/3gpp': 16 * MB,
};

/** One upload the fake accepted. */
export interface FakeUpload extends FakeMedia {
  fileName?: string;
  /** Whether the request came with chunked transfer (a streamed body, no length). */
  chunked: boolean;
}

/**
 * Reads an upload as Graph does: multipart with `messaging_product`
 * (required), `file` and `type`. A type outside the list is refused with
 * Graph's "(#100) Param file must be a file with one of the following
 * types: … Received file of type '…'." (quoted in fbsamples/whatsapp-api-examples#10);
 * a file over its type's size with 131053 "Media upload error" (the code
 * Meta gives for uploads it cannot take; the details wording is the fake's).
 */
export async function readUpload(req: IncomingMessage): Promise<{ ok: true; upload: FakeUpload } | { ok: false; error: GraphErrorSpec }> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(req.headers['content-type'] ?? '');
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const parts = boundary ? parseMultipart(Buffer.concat(chunks), (boundary[1] ?? boundary[2] ?? '').trim()) : [];
  const field = (name: string) => parts.find((p) => p.name === name);
  if (field('messaging_product')?.data.toString() !== 'whatsapp') return { ok: false, error: requiredParameterError('messaging_product') };
  const file = field('file');
  if (!file) return { ok: false, error: requiredParameterError('file') };
  const type = field('type')?.data.toString() ?? file.contentType ?? 'application/octet-stream';
  const limit = ACCEPTED[type];
  if (limit === undefined) {
    return { ok: false, error: { status: 400, code: 100, message: `(#100) Param file must be a file with one of the following types: ${Object.keys(ACCEPTED).join(', ')}. Received file of type '${type}'.` } };
  }
  if (file.data.length > limit) {
    return { ok: false, error: { status: 400, code: 131053, message: '(#131053) Media upload error', details: `File size ${file.data.length} exceeds the ${limit} bytes allowed for ${type}.` } };
  }
  const upload: FakeUpload = {
    id: `${randomInt(10 ** 8, 10 ** 9)}${randomInt(10 ** 6, 10 ** 7)}`,
    bytes: file.data,
    mimeType: type,
    sha256: createHash('sha256').update(file.data).digest('hex'),
    ...(file.filename ? { fileName: file.filename } : {}),
    chunked: req.headers['transfer-encoding'] === 'chunked',
  };
  return { ok: true, upload };
}
