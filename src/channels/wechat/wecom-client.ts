import type { AccessTokenSource } from './access-token.js';
import { FileOverLimit, multipartBody, postStream, type StreamedFile } from '../multipart-body.js';

/**
 * Errors of the WeCom API come as HTTP 200 with a non-zero `errcode`
 * (platform-facts.md §2). Network failures and non-200 answers are given
 * codes of our own below zero, so callers classify one number.
 */
export interface WecomError {
  errcode: number;
  errmsg: string;
}

export type WecomResult<T> = { ok: true; value: T } | { ok: false; error: WecomError };

/** Our codes for failures that are not WeCom's: the request did not get an answer, or not a JSON one. */
export const NETWORK_ERROR = -100;
export const HTTP_ERROR = -101;

/** The access token is not valid (40014) or has expired (42001): refresh once and retry the call once. */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40014, 42001, 41001]);

/**
 * The few WeCom API calls of the channel, with plain fetch. The access token
 * rides in the query string (`?access_token=`), so URLs are never logged.
 */
export class WecomClient {
  constructor(
    private readonly apiUrl: string,
    private readonly tokens: AccessTokenSource,
    private readonly timeoutMs = 10_000,
  ) {}

  /** POSTs JSON to `path` with the access token; a token refusal refreshes it and retries once. */
  async post<T>(path: string, body: unknown): Promise<WecomResult<T>> {
    return this.withToken((token) => this.request<T>(`${this.apiUrl}${path}?access_token=${encodeURIComponent(token)}`, { method: 'POST', body: JSON.stringify(body) }));
  }

  /**
   * `GET /cgi-bin/media/get?media_id=`: the bytes, or a JSON error. The file
   * name comes from `Content-Disposition` (media/get doc, path/90254).
   */
  async getMedia(mediaId: string): Promise<WecomResult<{ bytes: Buffer; contentType: string | undefined; fileName: string | undefined }>> {
    return this.withToken(async (token) => {
      let res: Response;
      try {
        res = await fetch(`${this.apiUrl}/cgi-bin/media/get?access_token=${encodeURIComponent(token)}&media_id=${encodeURIComponent(mediaId)}`, { signal: AbortSignal.timeout(this.timeoutMs) });
      } catch (err) {
        return { ok: false, error: { errcode: NETWORK_ERROR, errmsg: `network: ${(err as Error).message}` } };
      }
      const contentType = res.headers.get('content-type') ?? undefined;
      const bytes = Buffer.from(await res.arrayBuffer());
      if (!res.ok) return { ok: false, error: { errcode: HTTP_ERROR, errmsg: `HTTP ${res.status}` } };
      // Errors are JSON even here; media is anything else.
      if (contentType?.includes('json') || contentType?.startsWith('text/plain')) {
        const parsed = parseJson(bytes.toString('utf8'));
        if (parsed && typeof parsed.errcode === 'number' && parsed.errcode !== 0) {
          return { ok: false, error: { errcode: parsed.errcode, errmsg: errmsgOf(parsed) } };
        }
      }
      const disposition = res.headers.get('content-disposition') ?? '';
      const fileName = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
      return { ok: true, value: { bytes, contentType, fileName } };
    });
  }

  /**
   * `POST /cgi-bin/media/upload?type=image|voice|video|file`, multipart with
   * the file in the part `media` (with its filename), streamed: a temporary
   * media_id for send_msg, valid 3 days. Not retried on a refused token (the
   * stream is read once): the token is refreshed and the caller tries again.
   */
  async uploadMedia(type: 'image' | 'voice' | 'video' | 'file', file: StreamedFile): Promise<WecomResult<{ media_id: string }>> {
    const token = await this.tokens.current();
    if (!token.ok) return token;
    const form = multipartBody({}, file);
    let res: Response;
    try {
      res = await postStream(`${this.apiUrl}/cgi-bin/media/upload?access_token=${encodeURIComponent(token.value)}&type=${type}`, form, {}, this.timeoutMs * 12);
    } catch (err) {
      if (form.overLimit()) throw new FileOverLimit(file.maxBytes);
      return { ok: false, error: { errcode: NETWORK_ERROR, errmsg: `network: ${(err as Error).message}` } };
    }
    const r = await readJson<{ media_id: string }>(res);
    if (!r.ok && TOKEN_ERRCODES.has(r.error.errcode)) await this.tokens.refresh(token.value);
    return r;
  }

  private async withToken<T>(call: (token: string) => Promise<WecomResult<T>>): Promise<WecomResult<T>> {
    const token = await this.tokens.current();
    if (!token.ok) return token;
    const first = await call(token.value);
    if (first.ok || !TOKEN_ERRCODES.has(first.error.errcode)) return first;
    const fresh = await this.tokens.refresh(token.value);
    if (!fresh.ok) return fresh;
    return call(fresh.value);
  }

  private async request<T>(url: string, init: { method: string; body?: string }): Promise<WecomResult<T>> {
    return requestJson<T>(url, init, this.timeoutMs);
  }
}

/** One JSON call: `errcode` 0 (or absent) is success. */
export async function requestJson<T>(url: string, init: { method: string; body?: string }, timeoutMs: number): Promise<WecomResult<T>> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, ...(init.body ? { headers: { 'content-type': 'application/json' } } : {}), signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    return { ok: false, error: { errcode: NETWORK_ERROR, errmsg: `network: ${(err as Error).message}` } };
  }
  return readJson<T>(res);
}

/** A WeCom answer: `errcode` 0 (or absent) is success. */
async function readJson<T>(res: Response): Promise<WecomResult<T>> {
  const text = await res.text().catch(() => '');
  const parsed = parseJson(text);
  if (!res.ok || !parsed) return { ok: false, error: { errcode: HTTP_ERROR, errmsg: `HTTP ${res.status}${parsed ? '' : ', not JSON'}` } };
  const errcode = typeof parsed.errcode === 'number' ? parsed.errcode : 0;
  if (errcode !== 0) return { ok: false, error: { errcode, errmsg: errmsgOf(parsed) } };
  return { ok: true, value: parsed as T };
}

/** WeCom's `errmsg`, when it is a string. */
function errmsgOf(parsed: Record<string, unknown>): string {
  return typeof parsed.errmsg === 'string' ? parsed.errmsg : '';
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
