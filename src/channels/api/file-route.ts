import type { AgentFileFetcher } from '../../core/files/agent-file-stream.js';
import type { Clock } from '../../core/ports.js';
import { json, type HttpRequest, type HttpResponse, type Route } from '../../http/types.js';
import type { Logger } from '../../runtime/logger.js';
import type { FileLinks } from './file-links.js';

/** Where a callback's file links point: `GET /api/files?t=<sealed link>`. */
export const FILE_PATH = '/api/files';

/**
 * Serves an agent's file to the API receiver that got a link in a callback:
 * the link is opened (403 when forged or expired), and the file is streamed
 * from the messenger that holds it, as a download (never rendered here).
 */
export function fileRoute(o: { links: FileLinks; clock: Clock; fetchAgentFile: AgentFileFetcher; log: Logger }): Route {
  return { method: 'GET', path: FILE_PATH, handler: (req) => serve(req, o) };
}

async function serve(req: HttpRequest, o: { links: FileLinks; clock: Clock; fetchAgentFile: AgentFileFetcher; log: Logger }): Promise<HttpResponse> {
  const file = o.links.open(req.query.get('t') ?? '', o.clock.now());
  if (file === 'expired') return json(403, { error: 'link_expired', message: 'This file link has expired. Links in callbacks work for an hour; ask the agent to send the file again.' });
  if (file === 'forged') return json(403, { error: 'bad_link', message: 'This is not a file link the desk made. Use the url from the callback as it came.' });
  const got = await o.fetchAgentFile(file);
  if (!got.ok) {
    o.log.warn({ channel: 'api', requestId: req.requestId, platform: file.platform, reason: got.reason }, 'an agent file for an API callback could not be fetched');
    return json(got.retry ? 503 : 502, { error: 'file_unavailable', message: `The file could not be fetched from ${file.platform} (${got.reason}).${got.retry ? ' Try again shortly.' : ''}` }, got.retry ? { 'retry-after': '5' } : {});
  }
  return {
    status: 200,
    body: got.body,
    headers: {
      'content-type': file.mime,
      ...(got.size ? { 'content-length': String(got.size) } : {}),
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    },
  };
}
