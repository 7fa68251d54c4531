import type { AgentFileFetcher } from '../../core/files/agent-file-stream.js';
import { isMessengerFileUrl } from '../kit/file-origin.js';
import { fetchFile } from '../kit/fetched-file.js';

const DISCORD_CDN_HOSTS = [/^cdn\.discordapp\.com$/, /^media\.discordapp\.net$/];

/**
 * An attachment posted in a thread: its `url` on Discord's CDN, signed by
 * Discord (`ex`/`is`/`hm` parameters) and fetched without the bot token.
 * A signed URL expires after about a day: a reply that waited longer fails
 * for good, said in the thread, and the agent posts the file again.
 */
export function discordAgentFiles(apiUrl: string): AgentFileFetcher {
  return async (file) => {
    if (!isMessengerFileUrl(file.ref, DISCORD_CDN_HOSTS, apiUrl)) return { ok: false, retry: false, reason: 'Discord gave no attachment address for it' };
    return fetchFile(file.ref, { signal: AbortSignal.timeout(60_000) }, 'Discord');
  };
}
