import { parse as parseYaml } from 'yaml';
import type { fileSchemaFor } from './schema.js';
import { zodProblems } from './zod-problems.js';

/**
 * Reads and checks the YAML file. A missing file means defaults, unless
 * CONFIG_FILE named it (`explicit`).
 */
export function readConfigFile(fileSchema: ReturnType<typeof fileSchemaFor>, configFile: string, explicit: boolean, readFile: (path: string) => string, problems: string[]) {
  let fileRaw: unknown = {};
  try {
    fileRaw = parseYaml(readFile(configFile)) ?? {};
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') {
      if (explicit) problems.push(`CONFIG_FILE ${configFile} does not exist. Create it (see config/bot.example.yaml) or unset CONFIG_FILE to use the defaults.`);
    } else {
      problems.push(`${configFile} is not valid YAML: ${e.message.split('\n')[0]}. Fix the file and start again.`);
    }
  }
  const fileResult = fileSchema.safeParse(fileRaw);
  if (!fileResult.success) problems.push(...zodProblems(fileResult.error, (path) => `${configFile}: ${path}`, () => undefined));
  return fileResult;
}
