import { randomBytes } from 'node:crypto';

/** A file streamed into a multipart upload: read once, stopped at `maxBytes`. */
export interface StreamedFile {
  field: string;
  name: string;
  mime: string;
  body: ReadableStream<Uint8Array>;
  maxBytes: number;
}

/** Thrown into the upload when a file turns out larger than its limit while it streams. */
export class FileOverLimit extends Error {
  constructor(readonly maxBytes: number) {
    super(`the file is over ${maxBytes} bytes`);
    this.name = 'FileOverLimit';
  }
}

/**
 * A multipart/form-data body (RFC 7578) that streams its one file: the
 * messenger's download is piped into the upload chunk by chunk, never held
 * whole. Sent with chunked transfer (no length), which both Graph and WeCom
 * take. A file larger than `maxBytes` (its size unknown beforehand) breaks
 * the upload with `FileOverLimit` rather than sending a file the channel refuses.
 */
export function multipartBody(fields: Readonly<Record<string, string>>, file: StreamedFile): { body: ReadableStream<Uint8Array>; contentType: string; overLimit(): boolean } {
  const boundary = `----threaddesk${randomBytes(12).toString('hex')}`;
  const enc = (s: string) => new TextEncoder().encode(s);
  // Quotes and line breaks would end the header: they become underscores.
  const safe = (s: string) => s.replace(/["\r\n\\]/g, '_');
  async function* parts(): AsyncGenerator<Uint8Array> {
    for (const [k, v] of Object.entries(fields)) yield enc(`--${boundary}\r\nContent-Disposition: form-data; name="${safe(k)}"\r\n\r\n${v}\r\n`);
    yield enc(`--${boundary}\r\nContent-Disposition: form-data; name="${safe(file.field)}"; filename="${safe(file.name)}"\r\nContent-Type: ${safe(file.mime)}\r\n\r\n`);
    seen = 0;
    for await (const chunk of file.body) {
      seen += chunk.byteLength;
      if (seen > file.maxBytes) throw new FileOverLimit(file.maxBytes);
      yield chunk;
    }
    yield enc(`\r\n--${boundary}--\r\n`);
  }
  let seen = 0;
  const it = parts();
  // Pulled as the upload reads: one chunk in flight, so the download waits for a slow upload.
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await it.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel(reason) { await it.throw(reason).catch(() => undefined); },
  });
  return { body, contentType: `multipart/form-data; boundary=${boundary}`, overLimit: () => seen > file.maxBytes };
}

/** A POST of a streamed body with Node's fetch (which needs `duplex` for a stream). */
export function postStream(url: string, body: ReadableStream<Uint8Array>, headers: Record<string, string>, timeoutMs: number): Promise<Response> {
  const init: RequestInit & { duplex: 'half' } = { method: 'POST', body, headers, duplex: 'half', signal: AbortSignal.timeout(timeoutMs) };
  return fetch(url, init);
}
