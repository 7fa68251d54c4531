import { readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';

/**
 * The dependency rules of SPEC §2, checked over the import statements of a source tree.
 * dependency-cruiser parses TypeScript through the TypeScript compiler's JavaScript API
 * (`ts.createSourceFile`), which TypeScript 7's package no longer exports (it exports only its
 * version), and its current major needs Node 22; so the imports are read here:
 * static `import … from`, `export … from`, side-effect `import '…'` and `import('…')`.
 */

/** Package-name patterns of the SDKs, per messenger or channel folder that may import them. */
export interface SdkRules {
  /** src/bot/<messenger>: the only place its SDK is imported. */
  messengers: Record<string, RegExp[]>;
  /** src/channels/<channel>: the only place its SDK is imported. */
  channels: Record<string, RegExp[]>;
  /** State and rate-limit clients: only src/store and src/runtime import them. */
  state: RegExp[];
}

/** The SDKs threaddesk depends on today. */
export const SDKS: SdkRules = {
  messengers: {
    slack: [/^@slack\//],
    telegram: [/^grammy$/, /^@grammyjs\//],
    discord: [/^discord\.js$/, /^@discordjs\//],
  },
  // Telegram customers write to the same bot as the agents' group; WhatsApp and the HTTP API are plain HTTP.
  channels: { telegram: [/^grammy$/, /^@grammyjs\//], webchat: [/^ws$/] },
  state: [/^ioredis$/, /^@keyv\//, /^keyv$/, /^better-sqlite3$/, /^bottleneck$/],
};

/** One import that breaks a rule, with the rule's stable code. */
export interface Violation {
  rule: 'core-pure' | 'handlers-neutral' | 'sdk-placement' | 'sibling-folder' | 'composition-root' | 'dynamic-import';
  /** Importing file, relative to the src root, with forward slashes. */
  file: string;
  /** The specifier as written. */
  imports: string;
}

/** Where one import points: a package (node built-ins included) or a file relative to the src root. */
type Target = { kind: 'package'; name: string } | { kind: 'file'; path: string };

const STATIC_FROM = /^[ \t]*(?:import|export)\s+(?:type\s+)?[\w$\s,{}*]*?\bfrom\s*['"]([^'"]+)['"]/gm;
const SIDE_EFFECT = /^[ \t]*import\s*['"]([^'"]+)['"]/gm;
// `import(` written together, as code does; prose like "seat import (CSV…)" is not a call.
const DYNAMIC = /(?<![\w$.])import\(\s*([^)]*?)\s*\)/g;

/** One module specifier; `literal: false` for an `import(expression)` that cannot be checked. */
export interface ImportRef {
  spec: string;
  literal: boolean;
}

/** Every module specifier a source text imports or re-exports. */
export function importsOf(source: string): ImportRef[] {
  const found: ImportRef[] = [];
  for (const re of [STATIC_FROM, SIDE_EFFECT]) for (const m of source.matchAll(re)) found.push({ spec: m[1]!, literal: true });
  for (const m of source.matchAll(DYNAMIC)) {
    const literal = /^['"]([^'"]+)['"]$/.exec(m[1]!);
    found.push(literal ? { spec: literal[1]!, literal: true } : { spec: m[1]!, literal: false });
  }
  return found;
}

/** The package name of a bare specifier: `@scope/name` or `name`; node built-ins keep `node:`. */
function packageName(spec: string): string {
  if (spec.startsWith('node:') || isBuiltin(spec)) return spec.startsWith('node:') ? spec : `node:${spec}`;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function resolve(fromFile: string, spec: string): Target {
  if (!spec.startsWith('.')) return { kind: 'package', name: packageName(spec) };
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), spec));
  return { kind: 'file', path: joined.replace(/\.js$/, '.ts') };
}

const isSdk = (name: string, patterns: RegExp[]) => patterns.some((p) => p.test(name));

/** Folders in src/bot and src/channels shared by every messenger or channel, not one of them. */
export const SHARED_FOLDERS = ['kit'];

/** The folder of a file under src/<layer>/<folder>/…, or undefined for files directly in the layer. */
function folderOf(file: string, layer: string): string | undefined {
  const parts = file.split('/');
  return parts[0] === layer && parts.length >= 3 ? parts[1] : undefined;
}

/** The rules one import breaks (usually none). */
export function checkImport(file: string, { spec, literal }: ImportRef, sdks: SdkRules = SDKS): Violation[] {
  const out: Violation[] = [];
  const add = (rule: Violation['rule']) => out.push({ rule, file, imports: spec });
  // import(someVariable) could load anything: the rules need a written-out specifier.
  if (!literal) {
    add('dynamic-import');
    return out;
  }
  const target = resolve(file, spec);
  const layer = file.split('/')[0];
  const targetLayer = target.kind === 'file' ? target.path.split('/')[0] : undefined;

  // Core has no I/O and no dependency: not even a node built-in or a small pure package.
  if (layer === 'core' && targetLayer !== 'core') add('core-pure');

  const anySdk = [...Object.values(sdks.messengers), ...Object.values(sdks.channels), sdks.state].flat();
  if (layer === 'handlers') {
    const platformLayer = targetLayer !== undefined && ['bot', 'channels', 'store', 'runtime', 'http'].includes(targetLayer);
    if (platformLayer || (target.kind === 'package' && isSdk(target.name, anySdk))) add('handlers-neutral');
  }

  if (target.kind === 'package') {
    const owners = [
      ...Object.entries(sdks.messengers).map(([id, p]) => ({ p, ok: folderOf(file, 'bot') === id })),
      ...Object.entries(sdks.channels).map(([id, p]) => ({ p, ok: folderOf(file, 'channels') === id })),
      { p: sdks.state, ok: layer === 'store' || layer === 'runtime' },
    ];
    const mine = owners.filter(({ p }) => isSdk(target.name, p));
    if (mine.length && !mine.some(({ ok }) => ok)) add('sdk-placement');
  } else {
    // bot/slack never imports bot/discord, a messenger never imports a channel folder, nor the
    // reverse, not even its own platform's (bot/telegram and channels/telegram share one bot: the
    // composition root hands the channel's side to the messenger, SPEC §2); a shared kit folder
    // is open to its layer's folders but imports none of them.
    const folder = (f: string) => ['bot', 'channels'].map((l) => ({ l, id: folderOf(f, l) })).find((x) => x.id);
    const from = folder(file);
    const to = folder(target.path);
    const shared = to?.l === from?.l && SHARED_FOLDERS.includes(to?.id ?? '');
    const sameFolder = from?.l === to?.l && from?.id === to?.id && !SHARED_FOLDERS.includes(from?.id ?? '');
    if (from && to && !sameFolder && !shared) add('sibling-folder');
    // main.ts starts app.ts; nothing else reaches into the composition root.
    const root = target.path === 'app.ts' || target.path === 'main.ts';
    if (root && !(file === 'main.ts' && target.path === 'app.ts')) add('composition-root');
  }
  return out;
}

/** All .ts files under a directory, relative to it, with forward slashes. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

/** Every layering violation in the tree rooted at `srcDir` (a folder laid out like src/). */
export function findViolations(srcDir: string, sdks: SdkRules = SDKS): Violation[] {
  return sourceFiles(srcDir).flatMap((file) =>
    importsOf(readFileSync(path.join(srcDir, file), 'utf8')).flatMap((ref) => checkImport(file, ref, sdks)),
  );
}
