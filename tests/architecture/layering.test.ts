import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findViolations, SDKS, type Violation } from './layering-rules.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/**
 * Known violations, each with the reason it is still there. The test fails on any violation not
 * listed here, and on a listed one that is gone (then delete its line).
 */
const KNOWN: (Violation & { why: string })[] = [];

const key = (v: Violation) => `${v.rule} ${v.file} → ${v.imports}`;

describe('layering of src/ (SPEC §2)', () => {
  const found = findViolations(SRC);

  it('has no import that breaks a dependency rule, apart from the listed known ones', () => {
    const known = new Set(KNOWN.map(key));
    expect(found.map(key).filter((k) => !known.has(k))).toEqual([]);
  });

  it('still has every listed known violation (a fixed one is deleted from the list)', () => {
    const current = new Set(found.map(key));
    expect(KNOWN.map(key).filter((k) => !current.has(k))).toEqual([]);
  });
});

describe('the layering check on a tree with deliberate violations', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'layering-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Writes a file of the fake src tree. */
  function file(rel: string, text: string): void {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }

  // Allowed: every one of these must pass, so the check cannot flag everything either.
  file('main.ts', "import { startApp } from './app.js';\n");
  file('app.ts', "import { Desk } from './core/desk.js';\nimport { open } from './store/open.js';\n");
  file('core/desk.ts', "import type { Clock } from './ports.js';\nexport * from './claims/claim.js';\n");
  file('core/ports.ts', 'export interface Clock { now(): number }\n');
  file('core/claims/claim.ts', "import { keys } from '../keys.js';\n");
  file('handlers/dispatch.ts', "import {\n  Desk,\n  type Clock,\n} from '../core/desk.js';\nconst help = 'seat import (CSV attached)';\n");
  file('bot/slack/adapter.ts', "import { App } from '@slack/bolt';\nimport { ping } from '../kit/ping.js';\nimport { dispatch } from '../../handlers/dispatch.js';\n");
  file('bot/kit/ping.ts', "import type { Clock } from '../../core/ports.js';\n");
  file('bot/telegram/adapter.ts', "import { Bot } from 'grammy';\nimport type { CarriedChannel } from '../messenger-adapter.js';\n");
  file('channels/telegram/receive.ts', "import type { Message } from 'grammy/types';\n");
  file('store/open.ts', "import Keyv from 'keyv';\nimport KeyvRedis from '@keyv/redis';\n");
  file('runtime/limiters.ts', "import Bottleneck from 'bottleneck';\n");

  // One violation per rule.
  file('core/audit.ts', "import { createHash } from 'node:crypto';\n");
  file('core/load.ts', "import { z } from 'zod';\nimport { logger } from '../runtime/logger.js';\n");
  file('handlers/claim.ts', "import type { WebClient } from '@slack/web-api';\nimport { send } from '../bot/slack/send.js';\n");
  file('handlers/reply.ts', "export { open } from '../store/open.js';\nconst m = await import('../channels/whatsapp/send.js');\n");
  file('handlers/dynamic.ts', 'const name = "x";\nawait import(name);\n');
  file('bot/slack/send.ts', "import { Client } from 'discord.js';\nimport { topic } from '../telegram/topic.js';\n");
  file('bot/telegram/topic.ts', "import { send } from '../../channels/whatsapp/send.js';\n");
  // One platform's two sides too: the composition root hands the channel's side to the messenger.
  file('bot/telegram/private.ts', "import { receive } from '../../channels/telegram/receive.js';\n");
  file('bot/kit/leak.ts', "import { App } from '../slack/adapter.js';\nimport { Kf } from 'wechat-sdk';\n");
  file('channels/whatsapp/send.ts', "import Redis from 'ioredis';\nimport { startApp } from '../../app.js';\n");
  file('channels/wechat/send.ts', "import 'wechat-sdk';\n");
  file('http/server.ts', "import { main } from '../main.js';\n");

  const sdks = { ...SDKS, channels: { ...SDKS.channels, wechat: [/^wechat-sdk$/] } };
  const found = findViolations(root, sdks).map(key);

  it('reports exactly the deliberate violations, one per bad import', () => {
    expect(found.sort()).toEqual([
      'composition-root channels/whatsapp/send.ts → ../../app.js',
      'composition-root http/server.ts → ../main.js',
      'core-pure core/audit.ts → node:crypto',
      'core-pure core/load.ts → ../runtime/logger.js',
      'core-pure core/load.ts → zod',
      'dynamic-import handlers/dynamic.ts → name',
      'handlers-neutral handlers/claim.ts → ../bot/slack/send.js',
      'handlers-neutral handlers/claim.ts → @slack/web-api',
      'handlers-neutral handlers/reply.ts → ../channels/whatsapp/send.js',
      'handlers-neutral handlers/reply.ts → ../store/open.js',
      'sdk-placement channels/whatsapp/send.ts → ioredis',
      'sdk-placement bot/slack/send.ts → discord.js',
      'sdk-placement bot/kit/leak.ts → wechat-sdk',
      'sdk-placement handlers/claim.ts → @slack/web-api',
      'sibling-folder bot/kit/leak.ts → ../slack/adapter.js',
      'sibling-folder bot/slack/send.ts → ../telegram/topic.js',
      'sibling-folder bot/telegram/topic.ts → ../../channels/whatsapp/send.js',
      'sibling-folder bot/telegram/private.ts → ../../channels/telegram/receive.js',
    ].sort());
  });
});
