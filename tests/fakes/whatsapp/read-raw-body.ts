import type { IncomingMessage } from 'node:http';

/**
 * Reads a request body as the exact bytes that arrived, decoded as UTF-8.
 * Signatures (Meta's `X-Hub-Signature-256`, the generic API's `X-Signature`)
 * are computed over these raw bytes, so the fakes never re-serialise JSON
 * before checking or recording them.
 */
export async function readRawBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks).toString('utf8');
}
