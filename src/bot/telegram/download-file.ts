import { GrammyError, type Api } from 'grammy';

/** Bots download files of up to 20 MB (Bot API `getFile`). */
export const TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024;

/** A file a person sent, as a message carries it (`document`, `video`…). */
export interface TelegramFileRef {
  file_id: string;
  file_name?: string;
  file_size?: number;
}

/**
 * A file the bot could not fetch. `file_too_big` is final (the text tells
 * the sender what to do); `download_failed` may pass on a later try.
 */
export class TelegramFileError extends Error {
  constructor(readonly code: 'file_too_big' | 'download_failed', message: string) {
    super(message);
    this.name = 'TelegramFileError';
  }
}

/**
 * Downloads files people send to the bot: `getFile` turns the `file_id` into
 * a `file_path` (valid for at least an hour), and the bytes are at
 * `{apiRoot}/file/bot{token}/{file_path}` (core.telegram.org/bots/api#getfile).
 * Files over 20 MB are refused before any call: Telegram would answer
 * `400 Bad Request: file is too big`.
 */
export function createFileDownloader(api: Api, token: string, apiRoot: string): (file: TelegramFileRef) => Promise<Buffer> {
  return async (file) => {
    const name = file.file_name ?? 'the file';
    refuseAboveLimit(name, file.file_size);
    let path: string | undefined;
    try {
      const info = await api.getFile(file.file_id);
      refuseAboveLimit(name, info.file_size);
      path = info.file_path;
    } catch (err) {
      if (err instanceof GrammyError && /file is too big/i.test(err.description)) throw tooBig(name, undefined);
      throw err;
    }
    if (!path) throw new TelegramFileError('download_failed', `Telegram gave no file_path for ${name}; send the file again.`);
    // The URL holds the bot token: it stays out of every message and log line.
    const res = await fetch(`${apiRoot}/file/bot${token}/${path}`, { signal: AbortSignal.timeout(30_000) });
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new TelegramFileError('download_failed', `Telegram answered ${res.status} when the bot downloaded ${name}: send the file again, or check TELEGRAM_API_ROOT if this keeps happening.`);
    }
    const bytes = Buffer.from(await res.arrayBuffer());
    refuseAboveLimit(name, bytes.length);
    return bytes;
  };
}

function refuseAboveLimit(name: string, size: number | undefined): void {
  if (size !== undefined && size > TELEGRAM_DOWNLOAD_LIMIT) throw tooBig(name, size);
}

function tooBig(name: string, size: number | undefined): TelegramFileError {
  const was = size === undefined ? '' : ` is ${(size / 1024 / 1024).toFixed(1)} MB;`;
  return new TelegramFileError('file_too_big', `${name}${was || ' is too big:'} Telegram lets bots download files of up to 20 MB. Send a smaller file (split it), or paste its rows after the command.`);
}
