import type { EnvShape } from '../bot/messenger-module.js';
import { ENV_FIXES } from './env-fixes.js';
import type { Registry } from './registry.js';
import { envSchema, type EnvConfig } from './schema.js';
import { zodProblems } from './zod-problems.js';

/**
 * Parses each variable on its own, the desk's and every registered module's,
 * so one bad value does not hide the problems of the others; `ok` is false
 * when any of them failed. `modules`: the modules' values by variable name.
 */
export function readEnv(cleanEnv: Record<string, string | undefined>, registry: Registry, problems: string[]): { values: EnvConfig; modules: Record<string, unknown>; ok: boolean } {
  const mods = [...registry.messengers, ...registry.channels];
  const fixes: Record<string, string> = Object.assign({}, ENV_FIXES, ...mods.map((m) => m.envFixes));
  let ok = true;
  const read = (shape: EnvShape): Record<string, unknown> => {
    const values: Record<string, unknown> = {};
    for (const [name, schema] of Object.entries(shape)) {
      const r = schema.safeParse(cleanEnv[name]);
      if (r.success) values[name] = r.data;
      else {
        ok = false;
        problems.push(...zodProblems(r.error, () => name, () => fixes[name]));
      }
    }
    return values;
  };
  const values = read(envSchema.shape) as EnvConfig;
  const modules: Record<string, unknown> = Object.assign({}, ...mods.map((m) => read(m.env)));
  return { values, modules, ok };
}
