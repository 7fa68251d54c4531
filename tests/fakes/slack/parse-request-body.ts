import { parseMultipart, type MultipartPart } from '../shared/parse-multipart.js';
import type { IncomingMessage } from 'node:http';

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

export type { MultipartPart };
