import type { AgentFileFetcher, FetchedAgentFile } from '../../core/files/agent-file-stream.js';
import { isMessengerFileUrl } from '../kit/file-origin.js';
import { fetchedFromResponse } from '../kit/fetched-file.js';

/** Slack serves shared files from files.slack.com (workspace subdomains on Enterprise Grid) and may redirect to its file CDNs. */
const SLACK_FILE_HOSTS = [/^files\.slack\.com$/, /^[a-z0-9-]+\.slack\.com$/, /^[a-z0-9-]+\.slack-edge\.com$/, /^[a-z0-9-]+\.slack-files\.com$/];
/** A redirect to one of these paths is to the file itself (Slack's CDN); anywhere else (the sign-in page) it is not. */
const FILE_PATH = /^\/(files-pri|files-tmb|files-edu)\//;
const MAX_HOPS = 3;
const SCOPE_FIX = 'add the files:read scope to the Slack app and reinstall it';

/**
 * A file shared in a thread: `url_private_download` with the bot token as a
 * bearer (docs.slack.dev "Working with files": the files:read scope).
 * Slack may redirect a download to its file CDN, which needs the token too:
 * redirects are followed by hand, the token sent only to Slack's file hosts.
 * Without the scope Slack answers with its sign-in page (a redirect there,
 * or HTML): never the file, never retried.
 */
export function slackAgentFiles(botToken: string, apiUrl: string): AgentFileFetcher {
  return async (file) => {
    let url = file.ref;
    for (let hop = 0; hop <= MAX_HOPS; hop += 1) {
      if (!isMessengerFileUrl(url, SLACK_FILE_HOSTS, apiUrl)) return { ok: false, retry: false, reason: hop ? `Slack sent the download elsewhere: ${SCOPE_FIX}` : 'Slack gave no download address for it' };
      let res: Response;
      try {
        res = await fetch(url, { headers: { authorization: `Bearer ${botToken}` }, redirect: 'manual', signal: AbortSignal.timeout(60_000) });
      } catch (err) {
        return { ok: false, retry: true, reason: `Slack could not be reached (${(err as Error).message})` };
      }
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        void res.body?.cancel();
        const next = new URL(location, url);
        if (!FILE_PATH.test(next.pathname)) return { ok: false, retry: false, reason: `Slack answered with its sign-in page: ${SCOPE_FIX}` };
        url = next.toString();
        continue;
      }
      return notSignInPage(fetchedFromResponse(res, 'Slack'), res, file.mime);
    }
    return { ok: false, retry: false, reason: 'Slack redirected the download too often' };
  };
}

/** An HTML answer for a file that is no HTML is Slack's sign-in page. */
function notSignInPage(got: FetchedAgentFile, res: Response, mime: string): FetchedAgentFile {
  if (!got.ok) return got.retry ? got : { ...got, reason: `${got.reason}: ${SCOPE_FIX}` };
  if (mime !== 'text/html' && /^text\/html\b/i.test(res.headers.get('content-type') ?? '')) {
    void got.body.cancel();
    return { ok: false, retry: false, reason: `Slack answered with its sign-in page: ${SCOPE_FIX}` };
  }
  return got;
}
