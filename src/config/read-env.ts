import type { z } from 'zod';
import { ENV_FIXES } from './env-fixes.js';
import { envSchema, type EnvConfig } from './schema.js';
import { zodProblems } from './zod-problems.js';

/**
 * Parses each variable on its own, so one bad value does not hide the problems
 * of the others; `ok` is false when any of them failed.
 */
export function readEnv(cleanEnv: Record<string, string | undefined>, problems: string[]): { values: EnvConfig; ok: boolean } {
  const envValues: Record<string, unknown> = {};
  let ok = true;
  for (const [name, schema] of Object.entries(envSchema.shape)) {
    const r = (schema as z.ZodType).safeParse(cleanEnv[name]);
    if (r.success) envValues[name] = r.data;
    else {
      ok = false;
      problems.push(...zodProblems(r.error, () => name, () => ENV_FIXES[name]));
    }
  }
  return { values: envValues as EnvConfig, ok };
}
