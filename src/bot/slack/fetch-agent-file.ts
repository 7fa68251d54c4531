import type { AgentFileFetcher } from '../../core/files/agent-file-stream.js';
import { isMessengerFileUrl } from '../kit/file-origin.js';
import { fetchFile } from '../kit/fetched-file.js';

/** Slack serves shared files from files.slack.com (and workspace subdomains on Enterprise Grid). */
const SLACK_FILE_HOSTS = [/^files\.slack\.com$/, /^[a-z0-9-]+\.slack\.com$/, /^files-edu\.slack\.com$/];

/**
 * A file shared in a thread: `url_private_download` with the bot token as a
 * bearer (docs.slack.dev "Working with files": the files:read scope).
 * Without the scope Slack answers with a redirect to a sign-in page or 401/403:
 * never the file, never retried.
 */
export function slackAgentFiles(botToken: string, apiUrl: string): AgentFileFetcher {
  return async (file) => {
    if (!isMessengerFileUrl(file.ref, SLACK_FILE_HOSTS, apiUrl)) return { ok: false, retry: false, reason: 'Slack gave no download address for it' };
    const got = await fetchFile(file.ref, { headers: { authorization: `Bearer ${botToken}` }, signal: AbortSignal.timeout(60_000) }, 'Slack');
    if (!got.ok && !got.retry) return { ...got, reason: `${got.reason}: add the files:read scope to the Slack app and reinstall it` };
    return got;
  };
}
