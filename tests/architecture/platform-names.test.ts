import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SANDBOX_MODULES } from '../../src/modules.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** Where a platform may be named: its own module folder, and the list of modules. */
function mayName(file: string): boolean {
  return /^(bot|channels)\/[^/]+\//.test(file) && !/^(bot|channels)\/kit\//.test(file) || file === 'modules.ts';
}

/**
 * Named on purpose outside a module folder, each with the reason. Anything else
 * fails: config, app.ts, handlers and core iterate the registries instead.
 */
const ALLOWED: { file: string; literal: string; why: string }[] = [
  { file: 'core/security/rules/types.ts', literal: 'api', why: "a security event's source (the API or the bot itself), not the API channel" },
];

/** String literals that are a module id (`'slack'`, "whatsapp", `discord`), comments removed. */
export function platformLiterals(source: string, ids: readonly string[]): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const found: string[] = [];
  for (const m of code.matchAll(/(['"`])([a-z][a-z0-9-]*)\1/g)) if (ids.includes(m[2]!)) found.push(m[2]!);
  return found;
}

function scan(dir: string, ids: readonly string[]): { file: string; literal: string }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.split(path.sep).join('/'))
    .sort()
    .filter((f) => !mayName(f))
    .flatMap((file) => platformLiterals(readFileSync(path.join(dir, file), 'utf8'), ids).map((literal) => ({ file, literal })));
}

// The demo's registry holds every shipped module plus the sandbox messenger, whose id stays in its folder too.
const IDS = [...new Set([...SANDBOX_MODULES.messengers, ...SANDBOX_MODULES.channels].map((m) => m.id))];

describe('platform names stay in their modules (issue 10: registries)', () => {
  it('finds no messenger or channel id as a literal outside src/bot/<id>, src/channels/<id> and src/modules.ts', () => {
    const allowed = new Set(ALLOWED.map((a) => `${a.file} ${a.literal}`));
    expect(scan(SRC, IDS).filter((f) => !allowed.has(`${f.file} ${f.literal}`))).toEqual([]);
  });

  it('still needs every allowance (a gone one is deleted from the list)', () => {
    const found = new Set(scan(SRC, IDS).map((f) => `${f.file} ${f.literal}`));
    expect(ALLOWED.filter((a) => !found.has(`${a.file} ${a.literal}`))).toEqual([]);
  });
});

describe('the platform-name check on a tree with deliberate violations', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'platform-names-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const file = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };

  it('reports an if-chain over messengers in config and a channel test in core, and spares module folders and comments', () => {
    file('config/read.ts', "if (m === 'slack') x();\nelse if (m === \"discord\") y();\n");
    file('core/window.ts', '// whatsapp has a window\nconst w = conv.channel === `whatsapp` ? 1 : 0;\n');
    file('bot/slack/module.ts', "export const id = 'slack';\n");
    file('bot/kit/label.ts', "const x = 'telegram';\n");
    file('modules.ts', "import './bot/slack/module.js'; const ids = ['slack'];\n");
    expect(scan(root, IDS)).toEqual([
      { file: 'bot/kit/label.ts', literal: 'telegram' },
      { file: 'config/read.ts', literal: 'slack' },
      { file: 'config/read.ts', literal: 'discord' },
      { file: 'core/window.ts', literal: 'whatsapp' },
    ]);
  });
});
