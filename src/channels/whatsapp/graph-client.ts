import type { FileKind } from '../../core/files/file-limits.js';
import { keepAliveFetch } from '../../runtime/keep-alive-fetch.js';
import { FileOverLimit, multipartBody, postStream, type StreamedFile } from '../multipart-body.js';

/**
 * The JSON calls' client: keep-alive `node:http` rather than Node's fetch,
 * which costs about 1 ms of CPU a call under load (keep-alive-fetch.ts); one
 * per process, so every sender shares its connections.
 */
const graphFetch = keepAliveFetch();

/** What {@link GraphClient} reads of an answer (a fetch `Response` or keep-alive-fetch's). */
interface GraphAnswer {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** A failed Graph call: the HTTP status (0: no answer) and Meta's error code and subcode when it gave them. */
export interface GraphError {
  httpStatus: number;
  code?: number;
  subcode?: number;
  message: string;
  retryAfterSeconds?: number;
}

/** A template as the listing gives it (only the fields the desk asks for). */
export interface GraphTemplate {
  name?: string;
  language?: string;
  status?: string;
  components?: { type?: string; text?: string }[];
}

export type GraphResult<T> = { ok: true; value: T } | { ok: false; error: GraphError };

/**
 * The few Graph API calls the desk makes: sending a text, media or a
 * template, listing templates, uploading and fetching media. Errors come back
 * as values carrying Meta's error code.
 */
export class GraphClient {
  constructor(private readonly apiUrl: string, private readonly accessToken: string, private readonly timeoutMs = 10_000) {}

  async sendText(phoneNumberId: string, to: string, body: string): Promise<GraphResult<{ wamid: string }>> {
    const r = await this.call<{ messages?: { id: string }[] }>(`${this.apiUrl}/${phoneNumberId}/messages`, {
      method: 'POST',
      body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'text', text: { preview_url: false, body } }),
    });
    if (!r.ok) return r;
    const wamid = r.value.messages?.[0]?.id;
    return wamid ? { ok: true, value: { wamid } } : { ok: false, error: { httpStatus: 200, message: 'answer had no message id' } };
  }

  /**
   * A media message (`image`/`video`/`audio`/`document` with the uploaded media id);
   * a document carries its file name, and all but audio a caption.
   */
  async sendMedia(phoneNumberId: string, to: string, kind: FileKind, media: { id: string; caption?: string; filename?: string }): Promise<GraphResult<{ wamid: string }>> {
    const content = { id: media.id, ...(media.caption && kind !== 'audio' ? { caption: media.caption } : {}), ...(kind === 'document' && media.filename ? { filename: media.filename } : {}) };
    const r = await this.call<{ messages?: { id: string }[] }>(`${this.apiUrl}/${phoneNumberId}/messages`, {
      method: 'POST',
      body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to, type: kind, [kind]: content }),
    });
    if (!r.ok) return r;
    const wamid = r.value.messages?.[0]?.id;
    return wamid ? { ok: true, value: { wamid } } : { ok: false, error: { httpStatus: 200, message: 'answer had no message id' } };
  }

  /**
   * `POST /{phone-number-id}/media`, multipart: `messaging_product`, `type`
   * (the MIME type) and `file`, streamed. Answers `{id}`, usable for 30 days.
   */
  async uploadMedia(phoneNumberId: string, file: StreamedFile): Promise<GraphResult<{ id: string }>> {
    const form = multipartBody({ messaging_product: 'whatsapp', type: file.mime }, file);
    let res: Response;
    try {
      res = await postStream(`${this.apiUrl}/${phoneNumberId}/media`, form, { authorization: `Bearer ${this.accessToken}` }, this.timeoutMs * 12);
    } catch (err) {
      if (form.overLimit()) throw new FileOverLimit(file.maxBytes);
      return { ok: false, error: { httpStatus: 0, message: `network: ${(err as Error).message}` } };
    }
    const r = await this.read<{ id?: string }>(res);
    if (!r.ok) return r;
    return r.value.id ? { ok: true, value: { id: r.value.id } } : { ok: false, error: { httpStatus: 200, message: 'upload answer had no media id' } };
  }

  /** A template message (platform-facts.md §1 [W8]): its body's values as text parameters, in order. */
  async sendTemplate(phoneNumberId: string, to: string, t: { name: string; language: string; values: readonly string[] }): Promise<GraphResult<{ wamid: string }>> {
    const components = t.values.length ? [{ type: 'body', parameters: t.values.map((text) => ({ type: 'text', text })) }] : [];
    const r = await this.call<{ messages?: { id: string }[] }>(`${this.apiUrl}/${phoneNumberId}/messages`, {
      method: 'POST',
      body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'template', template: { name: t.name, language: { code: t.language }, components } }),
    });
    if (!r.ok) return r;
    const wamid = r.value.messages?.[0]?.id;
    return wamid ? { ok: true, value: { wamid } } : { ok: false, error: { httpStatus: 200, message: 'answer had no message id' } };
  }

  /**
   * One page of `GET /{waba-id}/message_templates` (Meta "Template management"):
   * `{data:[{name, language, status, components:[{type:'BODY', text}]}], paging:{cursors:{after}, next?}}`.
   * `after` is the previous page's cursor; the answer's `next` says whether more follow.
   */
  async templatePage(wabaId: string, after?: string): Promise<GraphResult<{ data?: GraphTemplate[]; paging?: { cursors?: { after?: string }; next?: string } }>> {
    const query = new URLSearchParams({ fields: 'name,language,status,components', limit: '100', ...(after ? { after } : {}) });
    return this.call(`${this.apiUrl}/${encodeURIComponent(wabaId)}/message_templates?${query.toString()}`, { method: 'GET' });
  }

  /** `GET /{media-id}` gives a short-lived URL that needs the same bearer token. */
  async fetchMedia(mediaId: string): Promise<GraphResult<{ bytes: Buffer; mimeType: string | undefined }>> {
    const meta = await this.call<{ url?: string; mime_type?: string }>(`${this.apiUrl}/${encodeURIComponent(mediaId)}`, { method: 'GET' });
    if (!meta.ok) return meta;
    if (!meta.value.url) return { ok: false, error: { httpStatus: 200, message: 'media answer had no url' } };
    const res = await fetch(meta.value.url, { headers: { authorization: `Bearer ${this.accessToken}` }, signal: AbortSignal.timeout(this.timeoutMs) });
    if (!res.ok) return { ok: false, error: { httpStatus: res.status, message: `media download answered ${res.status}` } };
    return { ok: true, value: { bytes: Buffer.from(await res.arrayBuffer()), mimeType: meta.value.mime_type } };
  }

  /** `GET /{phone-number-id}`: the number the token may send from, as Meta shows it (threaddesk doctor). */
  async phoneNumber(phoneNumberId: string): Promise<GraphResult<{ display_phone_number?: string; verified_name?: string; quality_rating?: string }>> {
    return this.call(`${this.apiUrl}/${encodeURIComponent(phoneNumberId)}`, { method: 'GET' });
  }

  private async call<T>(url: string, init: { method: string; body?: string }): Promise<GraphResult<T>> {
    let res: GraphAnswer;
    try {
      res = await graphFetch(url, {
        ...init,
        headers: { authorization: `Bearer ${this.accessToken}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
        // Graph's JSON endpoints answer in place; a redirect would be a wrong API URL.
        redirect: 'error',
        timeoutMs: this.timeoutMs,
      });
    } catch (err) {
      return { ok: false, error: { httpStatus: 0, message: `network: ${(err as Error).message}` } };
    }
    return this.read<T>(res);
  }

  private async read<T>(res: GraphAnswer): Promise<GraphResult<T>> {
    const text = await res.text();
    let parsed: unknown;
    try { parsed = text ? JSON.parse(text) : {}; } catch { parsed = undefined; }
    if (res.ok && parsed && typeof parsed === 'object') return { ok: true, value: parsed as T };
    // Graph errors: {error:{message,type,code,error_subcode,error_data,fbtrace_id}}.
    const e = (parsed as { error?: { message?: string; code?: number; error_subcode?: number } } | undefined)?.error;
    const retryAfter = Number(res.headers.get('retry-after'));
    return {
      ok: false,
      error: {
        httpStatus: res.status,
        message: e?.message ?? `HTTP ${res.status}`,
        ...(e?.code !== undefined ? { code: e.code } : {}),
        ...(e?.error_subcode !== undefined ? { subcode: e.error_subcode } : {}),
        ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
      },
    };
  }
}
