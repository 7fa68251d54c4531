import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { knownEnvNames } from '../../src/config/known-names.js';
import { loadConfig } from '../../src/config/load-config.js';
import { MODULES } from '../../src/modules.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const example = readFileSync(`${root}.env.example`, 'utf8');
/** NAME=value lines of the example, in order. */
const entries = example.split('\n').filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l)).map((l) => ({ name: l.slice(0, l.indexOf('=')), value: l.slice(l.indexOf('=') + 1) }));

describe('.env.example', () => {
  it('lists every variable the desk and its registered modules read, once, and nothing else', () => {
    const names = entries.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...knownEnvNames(MODULES)].sort());
  });

  it('gives each variable a comment line above its group or itself, and leaves secrets empty', () => {
    expect(entries.every((e) => e.value === '')).toBe(true);
    expect(example.split('\n').filter((l) => l.startsWith('#')).length).toBeGreaterThan(entries.length / 2);
  });

  it('as copied, unfilled, is read as "nothing configured" (empty values count as unset)', () => {
    const env = Object.fromEntries(entries.map((e) => [e.name, e.value]));
    const result = loadConfig(env, () => { throw Object.assign(new Error('none'), { code: 'ENOENT' }); });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.slice(0, 30))).toEqual(['No messenger is configured, so', 'No customer channel is configu']);
  });
});
