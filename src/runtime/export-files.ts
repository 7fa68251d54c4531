import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import type { ExportSink } from '../core/export-transcripts.js';

/**
 * Export files: written as a stream (waiting for the disk when its buffer is
 * full, so memory stays flat), in `dir`; the messenger sends the file by DM
 * and it is deleted after a day by the caller's housekeeping.
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
