import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import type { ExportSink } from '../core/export-transcripts.js';

/**
 * Export files: written as a stream (waiting for the disk when its buffer is
 * full, so memory stays flat), in `dir`; the messenger sends the file by DM
 * and `sweepExports` deletes it a day later (the outbox may still be retrying
 * the upload for a while).
 */
export function exportFiles(dir: string): (name: string) => Promise<ExportSink> {
  return async (name) => {
    await mkdir(dir, { recursive: true });
    const path = join(dir, name.replace(/[^A-Za-z0-9._-]/g, '_'));
    const out = createWriteStream(path, { flags: 'wx' });
    await once(out, 'open');
    return {
      async write(chunk) {
        if (!out.write(chunk)) await once(out, 'drain');
      },
      async finish() {
        await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
        return { path, bytes: (await stat(path)).size };
      },
      async abort() {
        out.destroy();
        await rm(path, { force: true });
      },
    };
  };
}

/** Deletes export files older than `maxAgeMs`: transcripts do not linger on the bot's disk. */
export async function sweepExports(dir: string, maxAgeMs: number, now = Date.now()): Promise<number> {
  let removed = 0;
  let names: string[];
  try { names = await readdir(dir); } catch { return 0; }
  for (const name of names) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile() && now - info.mtimeMs > maxAgeMs) { await rm(path, { force: true }); removed += 1; }
  }
  return removed;
}
