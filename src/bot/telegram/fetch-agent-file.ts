import { GrammyError, type Api } from 'grammy';
import type { AgentFileFetcher } from '../../core/files/agent-file-stream.js';
import { fetchFile } from '../kit/fetched-file.js';
import { TELEGRAM_DOWNLOAD_LIMIT } from './download-file.js';

/**
 * A photo or document an agent posted in a topic: `getFile` turns its
 * `file_id` into a `file_path`, and the bytes are at
 * `{apiRoot}/file/bot{token}/{file_path}` (core.telegram.org/bots/api#getfile);
 * bots fetch files of up to 20 MB. The URL holds the token: it stays out of
 * every reason and log line.
 */
export function telegramAgentFiles(api: Api, token: string, apiRoot: string): AgentFileFetcher {
  return async (file) => {
    let path: string | undefined;
    try {
      const info = await api.getFile(file.ref);
      if (info.file_size !== undefined && info.file_size > TELEGRAM_DOWNLOAD_LIMIT) return tooBig();
      path = info.file_path;
    } catch (err) {
      if (err instanceof GrammyError) {
        if (/file is too big/i.test(err.description)) return tooBig();
        return { ok: false, retry: err.error_code === 429 || err.error_code >= 500, reason: `Telegram answered ${err.error_code} ${err.description}` };
      }
      return { ok: false, retry: true, reason: `Telegram could not be reached (${(err as Error).message})` };
    }
    if (!path) return { ok: false, retry: false, reason: 'Telegram gave no file_path for it' };
    return fetchFile(`${apiRoot}/file/bot${token}/${path}`, { signal: AbortSignal.timeout(60_000) }, 'Telegram');
  };
}

function tooBig(): { ok: false; retry: false; reason: string } {
  return { ok: false, retry: false, reason: 'Telegram lets bots fetch files of up to 20 MB' };
}
