import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/handlers/commands/index.js';
import { deskCommandOf, SLACK_RESERVED_COMMANDS, slackCommandFor } from '../../src/bot/slack/setup/command-names.js';
import { slackManifest } from '../../src/bot/slack/setup/manifest.js';
import { printSlackManifest } from '../../src/bot/slack/setup/print-manifest.js';
import { manifestRoute } from '../../src/bot/slack/setup/manifest-route.js';
import { BOT_EVENTS, BOT_SCOPES, METHOD_SCOPES } from '../../src/bot/slack/setup/scopes.js';
import { slashCommandToUpdate } from '../../src/bot/slack/to-update.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const schema = JSON.parse(readFileSync(join(root, 'tests/fixtures/slack/manifest.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe('the Slack app manifest generated from the command registry', () => {
  it('validates against the manifest schema, in Socket Mode and over HTTP', () => {
    for (const manifest of [slackManifest({ socketMode: true }), slackManifest({ socketMode: false, publicUrl: 'https://desk.example.com/' })]) {
      const ok = validate(manifest);
      expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('the schema fixture refuses what Slack refuses (an unknown key, a 33-character command, a missing description)', () => {
    const good = slackManifest({ socketMode: true });
    expect(validate({ ...good, features: { ...good.features, slash_commands: [{ command: `/${'x'.repeat(32)}`, description: 'd' }] } })).toBe(false);
    expect(validate({ ...good, features: { ...good.features, slash_commands: [{ command: '/x' }] } })).toBe(false);
    expect(validate({ ...good, settings: { ...good.settings, socket_mode: true } })).toBe(false);
  });

  it('lists every command of the registry, escaped, with reserved names prefixed', () => {
    const manifest = slackManifest({ socketMode: true });
    const listed = manifest.features.slash_commands.map((c) => c.command);
    expect(listed.map(deskCommandOf).sort()).toEqual(Object.keys(COMMANDS).sort());
    expect(manifest.features.slash_commands.every((c) => c.should_escape)).toBe(true);
    for (const command of listed) expect(SLACK_RESERVED_COMMANDS.has(command.slice(1))).toBe(false);
    // /status is Slack's own: the desk's is /td-status.
    expect(listed).toContain('/td-status');
    expect(listed).toContain('/claim');
  });

  it('routes the prefixed command to the desk command, and plain ones unchanged', () => {
    const base = { user_id: 'U0AGENT', user_name: 'ana', team_id: 'T0001', channel_id: 'C0SUPPORT', text: 'away' };
    expect(slashCommandToUpdate({ ...base, command: slackCommandFor('status') })).toMatchObject({ kind: 'command', name: 'status', args: 'away' });
    expect(slashCommandToUpdate({ ...base, command: '/Claim' })).toMatchObject({ name: 'claim' });
  });

  it('turns Socket Mode on without URLs, or points events, commands and interactivity at /slack/events', () => {
    const socket = slackManifest({ socketMode: true });
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(JSON.stringify(socket)).not.toContain('request_url');
    const http = slackManifest({ socketMode: false, publicUrl: 'https://desk.example.com/' });
    expect(http.settings.socket_mode_enabled).toBe(false);
    expect(http.settings.event_subscriptions.request_url).toBe('https://desk.example.com/slack/events');
    expect(http.settings.interactivity).toEqual({ is_enabled: true, request_url: 'https://desk.example.com/slack/events' });
    expect(new Set(http.features.slash_commands.map((c) => c.url))).toEqual(new Set(['https://desk.example.com/slack/events']));
  });

  it('asks for the scopes the events need and those the code calls, and prints as JSON or YAML', () => {
    const manifest = slackManifest({ socketMode: true });
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['message.channels', 'message.groups']);
    for (const scope of Object.values(BOT_EVENTS)) expect(manifest.oauth_config.scopes.bot).toContain(scope);
    for (const scope of ['chat:write', 'channels:history', 'groups:history', 'files:read', 'files:write', 'commands', 'reactions:write', 'im:write']) {
      expect(manifest.oauth_config.scopes.bot).toContain(scope);
    }
    expect(JSON.parse(printSlackManifest([]))).toEqual(manifest);
    expect(parseYaml(printSlackManifest(['--yaml', '--url', 'https://d.example']))).toEqual(slackManifest({ socketMode: false, publicUrl: 'https://d.example' }));
    expect(() => printSlackManifest(['--url'])).toThrow(/--url needs the desk's public address/);
  });
});

describe('GET /setup/slack-manifest', () => {
  const request = (headers: Record<string, string>) => ({ method: 'GET', path: '/setup/slack-manifest', query: new URLSearchParams(), rawQuery: '', rawBody: Buffer.alloc(0), requestId: 'r1', headers });

  it('serves the manifest with this desk\'s /slack/events on the scheme and host the request came by, or Socket Mode', async () => {
    const http = await manifestRoute(false).handler(request({ host: 'desk.example.com', 'x-forwarded-proto': 'https' }));
    expect(http.status).toBe(200);
    const manifest = JSON.parse(String(http.body)) as ReturnType<typeof slackManifest>;
    expect(validate(manifest)).toBe(true);
    expect(manifest.settings.event_subscriptions.request_url).toBe('https://desk.example.com/slack/events');
    const socket = await manifestRoute(true).handler(request({ host: 'whatever' }));
    expect(JSON.parse(String(socket.body))).toEqual(slackManifest({ socketMode: true }));
  });

  it('refuses a request without a usable Host header, saying what to do instead', async () => {
    const bad = await manifestRoute(false).handler(request({ host: 'evil.example.com/x?' }));
    expect(bad.status).toBe(400);
    expect(String(bad.body)).toContain('npm run setup:slack -- --url');
  });
});

describe('the Slack scopes cannot drift from the code', () => {
  const slackDir = join(root, 'src/bot/slack');
  const sources = readdirSync(slackDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(slackDir, f), 'utf8')).join('\n');

  it('lists every Web API method the Slack module calls, each with scopes the manifest asks for', () => {
    const called = new Set([...sources.matchAll(/client\.(\w+)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}`));
    // files.uploadV2 is files.getUploadURLExternal then files.completeUploadExternal.
    if (sources.includes('filesUploadV2')) { called.add('files.getUploadURLExternal'); called.add('files.completeUploadExternal'); }
    expect(called.size).toBeGreaterThan(5);
    for (const method of called) {
      expect(METHOD_SCOPES, `${method} is called in src/bot/slack but not in METHOD_SCOPES`).toHaveProperty([method]);
      for (const scope of METHOD_SCOPES[method]!) expect(Object.keys(BOT_SCOPES), `${method} needs ${scope}`).toContain(scope);
    }
  });

  it('gives every scope a reason', () => {
    for (const [scope, why] of Object.entries(BOT_SCOPES)) expect(why.length, scope).toBeGreaterThan(10);
    // Slash commands need `commands`; shared files are downloaded with the bot token (files:read).
    expect(sources).toMatch(/app\.command\(/);
    expect(sources).toMatch(/url_private_download/);
  });
});
