import { parseMultipart } from '../shared/parse-multipart.js';
import type { IncomingMessage } from 'node:http';

/** An uploaded file part of a multipart body. */
export interface UploadedPart {
  field: string;
  filename: string;
  data: Buffer;
}

export interface ParsedRequest {
  params: Record<string, unknown>;
  files: UploadedPart[];
}

/** Fields the Bot API takes as JSON-serialised objects when sent as form fields. */
const JSON_FIELDS = new Set(['reply_markup', 'entities', 'caption_entities', 'reaction', 'commands', 'scope', 'allowed_updates', 'link_preview_options', 'reply_parameters']);

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Parses a Bot API request the ways Telegram accepts ("Making requests"):
 * a query string, `application/x-www-form-urlencoded`, `application/json`, or
 * `multipart/form-data` (for uploads; a file field's value is
 * `attach://<part name>`). Object fields sent as form values arrive as JSON
 * text and are parsed here.
 */
export function parseRequest(contentType: string | undefined, raw: Buffer, query: URLSearchParams): ParsedRequest {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const params: Record<string, unknown> = Object.fromEntries(query);
  const files: UploadedPart[] = [];
  if (raw.length) {
    if (type === 'application/json') {
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the JSON body is not an object');
      Object.assign(params, parsed);
    } else if (type === 'multipart/form-data') {
      const boundary = /boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
      if (!boundary) throw new Error('multipart body without a boundary');
      for (const part of parseMultipart(raw, boundary)) {
        if (part.filename !== undefined) files.push({ field: part.name, filename: part.filename, data: part.data });
        else params[part.name] = part.data.toString('utf8');
      }
    } else {
      Object.assign(params, Object.fromEntries(new URLSearchParams(raw.toString('utf8'))));
    }
  }
  for (const key of Object.keys(params)) {
    const v = params[key];
    if (typeof v === 'string' && JSON_FIELDS.has(key)) params[key] = JSON.parse(v);
  }
  return { params, files };
}

