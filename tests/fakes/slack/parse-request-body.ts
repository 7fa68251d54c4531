import type { IncomingMessage } from 'node:http';

/** One part of a multipart/form-data body. */
export interface MultipartPart {
  name: string;
  filename?: string;
  data: Buffer;
}

/** The arguments of a Web API call plus any uploaded file parts. */
export interface ParsedBody {
  args: Record<string, unknown>;
  parts: MultipartPart[];
  /** Set when the body could not be read as its declared type (Slack: `invalid_form_data` / `invalid_json`). */
  error?: string;
}

/** Reads the whole request body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Parses a Web API body the way Slack accepts it: form-urlencoded (what
 * WebClient sends; nested values arrive JSON-stringified), JSON, or
 * multipart/form-data (WebClient switches to it when an argument is a Buffer).
 * The method docs list these content types, e.g. chat.postMessage "Content
 * types: application/x-www-form-urlencoded, application/json".
 */
export function parseRequestBody(contentType: string | undefined, raw: Buffer): ParsedBody {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (raw.length === 0) return { args: {}, parts: [] };
  if (type === 'application/x-www-form-urlencoded' || type === '' || type === 'text/plain') {
    return { args: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))), parts: [] };
  }
  if (type === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        return { args: {}, parts: [], error: 'invalid_json' };
      }
      return { args: parsed as Record<string, unknown>, parts: [] };
    } catch {
      return { args: {}, parts: [], error: 'invalid_json' };
    }
  }
  if (type === 'multipart/form-data') {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
    if (!boundary) return { args: {}, parts: [], error: 'invalid_form_data' };
    const parts = parseMultipart(raw, boundary);
    const args: Record<string, unknown> = {};
    for (const part of parts) if (part.filename === undefined) args[part.name] = part.data.toString('utf8');
    return { args, parts };
  }
  return { args: {}, parts: [], error: 'invalid_post_type' };
}

/** Splits a multipart body (RFC 7578) into its parts. */
export function parseMultipart(raw: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let start = raw.indexOf(delimiter);
  while (start !== -1) {
    const next = raw.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    // Each part sits between "--boundary\r\n" and "\r\n--boundary".
    const section = raw.subarray(start + delimiter.length + 2, next - 2);
    const headerEnd = section.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = section.subarray(0, headerEnd).toString('utf8');
      const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      parts.push({ name, filename, data: Buffer.from(section.subarray(headerEnd + 4)) });
    }
    start = next;
  }
  return parts;
}
