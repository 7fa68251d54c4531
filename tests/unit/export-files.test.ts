import { mkdtempSync, readFileSync, rmSync, utimesSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportFiles, sweepExports } from '../../src/runtime/export-files.js';

describe('export files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'td-exports-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams chunks into a file, refuses to overwrite one, and sweeps files older than a day', async () => {
    const create = exportFiles(dir);
    const sink = await create('a b/../c.csv');
    await sink.write('h\n');
    await sink.write('1\n');
    const done = await sink.finish();
    expect(done.path.startsWith(dir)).toBe(true);
    expect(readFileSync(done.path, 'utf8')).toBe('h\n1\n');
    await expect(create('a b/../c.csv')).rejects.toThrow();
    const old = await create('old.csv');
    const oldFile = await old.finish();
    const dayAgo = (Date.now() - 25 * 3600_000) / 1000;
    utimesSync(oldFile.path, dayAgo, dayAgo);
    expect(await sweepExports(dir, 24 * 3600_000)).toBe(1);
    expect(readdirSync(dir)).toEqual([done.path.slice(dir.length + 1)]);
  });
});
