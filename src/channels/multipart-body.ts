import { randomBytes } from 'node:crypto';

/** A file streamed into a multipart upload: read once, stopped at `maxBytes`. */
export interface StreamedFile {
  field: string;
  name: string;
  mime: string;
  body: ReadableStream<Uint8Array>;
  maxBytes: number;
  /** The file's length when its download said it (Content-Length): the upload then says its own. */
  size?: number;
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
 * whole. With the file's length known the body's is too (sent as
 * Content-Length); otherwise it goes with chunked transfer. A file larger than `maxBytes` (its size unknown beforehand) breaks
 * the upload with `FileOverLimit` rather than sending a file the channel refuses.
 */
export function multipartBody(fields: Readonly<Record<string, string>>, file: StreamedFile): { body: ReadableStream<Uint8Array>; contentType: string; length?: number; overLimit(): boolean } {
  const boundary = `----threaddesk${randomBytes(12).toString('hex')}`;
  const enc = (s: string) => new TextEncoder().encode(s);
  // Quotes and line breaks would end the header: they become underscores.
  const safe = (s: string) => s.replace(/["\r\n\\]/g, '_');
  const head = enc([
    ...Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${safe(k)}"\r\n\r\n${v}\r\n`),
    `--${boundary}\r\nContent-Disposition: form-data; name="${safe(file.field)}"; filename="${safe(file.name)}"\r\nContent-Type: ${safe(file.mime)}\r\n\r\n`,
  ].join(''));
  const tail = enc(`\r\n--${boundary}--\r\n`);
  async function* parts(): AsyncGenerator<Uint8Array> {
    yield head;
    seen = 0;
    for await (const chunk of file.body) {
      seen += chunk.byteLength;
      if (seen > file.maxBytes) throw new FileOverLimit(file.maxBytes);
      yield chunk;
    }
    // A download shorter than it said would leave the declared length unmet: the upload breaks rather than sends a cut file.
    if (file.size !== undefined && seen !== file.size) throw new Error(`the file had ${seen} bytes, not the ${file.size} its download said`);
    yield tail;
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
  const length = file.size !== undefined ? head.byteLength + file.size + tail.byteLength : undefined;
  return { body, contentType: `multipart/form-data; boundary=${boundary}`, ...(length !== undefined ? { length } : {}), overLimit: () => seen > file.maxBytes };
}

/** A POST of a streamed body with Node's fetch (which needs `duplex` for a stream). */
export function postStream(url: string, form: { body: ReadableStream<Uint8Array>; contentType: string; length?: number }, headers: Record<string, string>, timeoutMs: number): Promise<Response> {
  const all = { ...headers, 'content-type': form.contentType, ...(form.length !== undefined ? { 'content-length': String(form.length) } : {}) };
  const init: RequestInit & { duplex: 'half' } = { method: 'POST', body: form.body, headers: all, duplex: 'half', signal: AbortSignal.timeout(timeoutMs) };
  return fetch(url, init);
}
