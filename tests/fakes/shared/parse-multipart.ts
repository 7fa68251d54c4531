/** One part of a multipart/form-data body. */
export interface MultipartPart {
  name: string;
  filename?: string;
  /** The part's own Content-Type, when it has one. */
  contentType?: string;
  data: Buffer;
}

/**
 * Splits a multipart/form-data body (RFC 7578) into its parts, as both
 * platforms' fakes receive uploads. Header parameters are read leniently:
 * grammY writes `content-disposition:form-data;name="x";filename=f.txt` (no
 * spaces, an unquoted filename).
 */
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
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1] ?? /filename=([^;\r\n]+)/i.exec(headers)?.[1]?.trim();
      const contentType = /content-type:\s*([^\r\n;]+)/i.exec(headers)?.[1]?.trim();
      parts.push({ name, ...(filename !== undefined ? { filename } : {}), ...(contentType ? { contentType } : {}), data: Buffer.from(section.subarray(headerEnd + 4)) });
    }
    start = next;
  }
  return parts;
}
