import type { IncomingMessage, ServerResponse } from 'node:http';

/** The fake refuses request bodies above this (the largest upload, a 20 MB file, plus multipart framing). */
const MAX_BODY_BYTES = 21 * 1024 * 1024;

/** The request body as bytes; undefined when it exceeds the limit. */
export async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Answers JSON with HTTP 200, as WeCom does for successes and errors alike. */
export function writeJson(res: ServerResponse, body: unknown, status = 200): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
