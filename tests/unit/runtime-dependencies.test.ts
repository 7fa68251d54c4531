import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The Docker image runs `dist` with `npm prune --omit=dev`: anything under
 * src that loads a devDependency (world-countries once did) would fail only
 * there. Type-only imports are erased and may name any package.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

/** Bare specifiers a module loads at run time: value imports and re-exports, `import()` and `require()`. */
function runtimeSpecifiers(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+'([^']+)'/gm)) found.push(m[1]!);
  for (const m of text.matchAll(/^import\s+'([^']+)'/gm)) found.push(m[1]!);
  for (const m of text.matchAll(/\b(?:import|require)\s*\(\s*'([^']+)'\s*\)/g)) found.push(m[1]!);
  for (const m of text.matchAll(/createRequire\([^)]*\)\(\s*'([^']+)'\s*\)/g)) found.push(m[1]!);
  return found.filter((s) => !s.startsWith('.'));
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

describe('what src loads at run time', () => {
  it('is node built-ins and production dependencies only', () => {
    const builtins = new Set(builtinModules);
    const offending: string[] = [];
    for (const file of sourceFiles(join(root, 'src'))) {
      for (const spec of runtimeSpecifiers(readFileSync(file, 'utf8'))) {
        const name = packageOf(spec);
        if (spec.startsWith('node:') || builtins.has(name) || name in pkg.dependencies) continue;
        offending.push(`${file.slice(root.length)}: ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('does not load world-countries (its centroids are a generated table)', () => {
    expect(Object.keys(pkg.dependencies)).not.toContain('world-countries');
  });
});
