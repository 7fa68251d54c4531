import { parseDocument } from 'yaml';
import type { fileSchemaFor, FileConfig } from './schema.js';
import { knownKeysAt, salvage } from './salvage.js';
import { zodProblems } from './zod-problems.js';

/**
 * Reads and checks the YAML file: every YAML syntax error, then every schema
 * problem (an unknown key with the key it is closest to). A missing file
 * means defaults, unless CONFIG_FILE named it (`explicit`). `file` is what
 * the later checks run on: the valid parts of the file, defaults elsewhere,
 * so their problems show in the same run; `ok` is false when anything was
 * wrong. `raw` is the file as written (for names a bad entry still declares).
 */
export function readConfigFile(fileSchema: ReturnType<typeof fileSchemaFor>, configFile: string, explicit: boolean, readFile: (path: string) => string, problems: string[]): { ok: boolean; file: FileConfig; raw: unknown } {
  let text: string | undefined;
  try {
    text = readFile(configFile);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EISDIR') problems.push(`${configFile} is a directory, not a file (docker compose makes one when the file it mounts is missing): copy config/bot.example.yaml to config/bot.yaml and start again.`);
    else if (e.code !== 'ENOENT') problems.push(`${configFile} cannot be read (${e.code ?? e.message}). Check its permissions, or point CONFIG_FILE elsewhere.`);
    else if (explicit) problems.push(`CONFIG_FILE ${configFile} does not exist. Create it (see config/bot.example.yaml) or unset CONFIG_FILE to use the defaults.`);
    if (e.code !== 'ENOENT' || explicit) return { ok: false, file: fileSchema.parse({}), raw: {} };
  }
  let raw: unknown = {};
  if (text !== undefined) {
    const doc = parseDocument(text, { prettyErrors: true });
    if (doc.errors.length) {
      for (const e of doc.errors) problems.push(`${configFile} is not valid YAML: ${e.message.split('\n')[0]}. Fix the file and start again.`);
      // Its content cannot be trusted: the checks below run on the defaults.
      return { ok: false, file: fileSchema.parse({}), raw: {} };
    }
    raw = doc.toJS() ?? {};
  }
  const result = fileSchema.safeParse(raw);
  if (result.success) return { ok: true, file: result.data, raw };
  problems.push(...zodProblems(result.error, (path) => `${configFile}: ${path}`, () => undefined, (path) => knownKeysAt(fileSchema, path)));
  const kept = salvage(fileSchema, raw);
  return { ok: false, file: (kept as FileConfig | undefined) ?? fileSchema.parse({}), raw };
}
