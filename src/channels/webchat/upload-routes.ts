import { json, type HttpRequest, type HttpResponse, type Route } from '../../http/types.js';
import type { Logger } from '../../runtime/logger.js';
import { INLINE_IMAGE_TYPES, MAX_FILE_BYTES, type WebchatFiles } from './files.js';
import { verifyUserHash, visitorIds } from './identity.js';
import { originAllowed, type OriginPattern } from './origins.js';
import type { WebchatSessions } from './sessions.js';

export interface UploadRouteOptions {
  files: WebchatFiles;
  sessions: WebchatSessions;
  origins: readonly OriginPattern[];
  identitySecret: string | undefined;
  log: Logger;
}

const header = (req: HttpRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * `POST /chat/upload` (the raw file as the body, `content-type` its type,
 * `x-td-file-name` its URI-encoded name, and the visitor's `x-td-token` or
 * `x-td-user-id` + `x-td-user-hash`) answers `{file}`; the widget then names
 * the file in its next `send`. `GET /chat/file?id=` serves it back: images
 * inline, anything else as a download, never as a page of the desk's origin.
 */
export function uploadRoutes(o: UploadRouteOptions): Route[] {
  return [
    { method: 'POST', path: '/chat/upload', maxBodyBytes: MAX_FILE_BYTES, handler: (req) => upload(req, o) },
    { method: 'GET', path: '/chat/file', handler: (req) => serve(req, o) },
  ];
}

async function upload(req: HttpRequest, o: UploadRouteOptions): Promise<HttpResponse> {
  const origin = header(req, 'origin');
  const own = origin !== undefined && (() => { try { return new URL(origin).host === header(req, 'host'); } catch { return false; } })();
  if (!own && !originAllowed(origin, o.origins)) return json(403, { error: 'origin_refused', message: 'Uploads come from the chat widget of a site in WEBCHAT_ORIGINS.' });
  const userId = header(req, 'x-td-user-id');
  let visitorId: string | undefined;
  if (userId !== undefined) {
    const id = decodeURIComponent(userId);
    if (o.identitySecret && verifyUserHash(id, header(req, 'x-td-user-hash') ?? '', o.identitySecret)) visitorId = visitorIds.user(id);
  } else {
    visitorId = await o.sessions.resolve(header(req, 'x-td-token'));
  }
  if (!visitorId) return json(401, { error: 'unknown_visitor', message: 'Open the chat first: uploads need its session.' });
  if (!req.rawBody.length) return json(400, { error: 'empty_file', message: 'The file is empty.' });
  const mime = (header(req, 'content-type') ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase();
  const name = fileName(header(req, 'x-td-file-name'));
  const file = await o.files.put(visitorId, req.rawBody, /^[\w.+-]+\/[\w.+-]+$/.test(mime) ? mime : 'application/octet-stream', name);
  o.log.info({ channel: 'webchat', requestId: req.requestId, bytes: file.size, mime: file.mime }, 'web chat file uploaded');
  return json(201, { file });
}

/** The visitor's file name, printable and without path separators; a malformed one reads "file". */
function fileName(encoded: string | undefined): string {
  let name: string;
  try { name = decodeURIComponent(encoded ?? ''); } catch { return 'file'; }
  const clean = Array.from(name, (c) => (c.charCodeAt(0) < 32 || c === '/' || c === '\\' ? '_' : c)).join('').slice(0, 200);
  return clean || 'file';
}

async function serve(req: HttpRequest, o: UploadRouteOptions): Promise<HttpResponse> {
  const f = await o.files.read(req.query.get('id') ?? '');
  if (!f) return json(404, { error: 'not_found', message: 'No such file (or it expired).' });
  const inline = INLINE_IMAGE_TYPES.has(f.mime);
  return {
    status: 200,
    body: f.bytes,
    headers: {
      'content-type': inline ? f.mime : 'application/octet-stream',
      'content-disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(f.name)}`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, max-age=86400',
    },
  };
}
