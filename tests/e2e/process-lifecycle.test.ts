import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackFake, type SlackFake } from '../fakes/slack/index.js';
import { startGraphFake, type GraphFake } from '../fakes/whatsapp/start-graph-fake.js';
import { postWebhook, textMessageWebhook } from '../fakes/whatsapp/webhooks.js';
import { SECRETS } from '../support/start-desk.js';
import { freePort, spawnBot, type SpawnedBot } from '../support/spawn-bot.js';
import { waitFor } from '../support/wait-until.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The process as an operator runs it: signals during start-up, a line per delivered batch, what shutdown leaves. */
describe('the bot process from start to stop', () => {
  let slack: SlackFake;
  let graph: GraphFake;
  let dataDir: string;
  let bot: SpawnedBot | undefined;
  beforeAll(async () => {
    slack = await startSlackFake();
    graph = await startGraphFake({ accessToken: SECRETS.waToken, phoneNumberId: SECRETS.phoneNumberId, appSecret: SECRETS.waAppSecret });
    dataDir = mkdtempSync(join(tmpdir(), 'threaddesk-lifecycle-'));
  });
  afterAll(async () => {
    bot?.child.kill('SIGKILL');
    await Promise.all([slack?.close(), graph?.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });
  const envFor = (port: number): Record<string, string> => ({
    PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', SHUTDOWN_DRAIN_SECONDS: '1',
    SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRETS.slackSigning, SLACK_CHANNEL: 'C0SUPPORT', SLACK_API_URL: slack.url,
    WHATSAPP_ACCESS_TOKEN: SECRETS.waToken, WHATSAPP_APP_SECRET: SECRETS.waAppSecret, WHATSAPP_VERIFY_TOKEN: SECRETS.waVerify,
    WHATSAPP_PHONE_NUMBER_ID: SECRETS.phoneNumberId, WHATSAPP_API_URL: graph.url,
  });
  const write = (url: string, text: string) => postWebhook(url, SECRETS.waAppSecret, textMessageWebhook({ phoneNumberId: SECRETS.phoneNumberId }, { from: '491705550001', body: text, name: 'Ana' }));

  it('a SIGTERM while start-up waits for the store exits cleanly (code 0), saying so', async () => {
    // Redis that is not there: opening the store waits up to 10 s for it.
    const env = { ...envFor(await freePort()), REDIS_URL: `redis://127.0.0.1:${await freePort()}` };
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += String(d); });
    child.stderr.on('data', (d) => { out += String(d); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitFor(() => out.includes('threaddesk is starting') || undefined, 40_000);
      const sent = Date.now();
      child.kill('SIGTERM');
      expect(await exited, out).toBe(0);
      expect(Date.now() - sent).toBeLessThan(8_000);
      expect(out).toContain('stop asked during start-up');
      expect(out).toContain('stopped during start-up');
      for (const line of out.trim().split('\n')) expect(() => JSON.parse(line), line).not.toThrow();
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);

  it('logs a line per delivered batch, and on SIGTERM says what it left in the outbox for the next start', async () => {
    bot = await spawnBot(envFor(await freePort()), 40_000);
    expect((await write(bot.url, 'first message')).status).toBe(200);
    await waitFor(() => /"msg":"delivered \d+ items? to slack:[^"]*C0SUPPORT/.exec(bot!.output()) ?? undefined, 20_000);
    // Slack now fails every post: the next message stays in the outbox.
    slack.failNext('chat.postMessage', { status: 500, count: 1_000 });
    const calls = slack.callsTo('chat.postMessage').length;
    expect((await write(bot.url, 'second message')).status).toBe(200);
    await slack.waitFor((s) => s.callsTo('chat.postMessage').length > calls, 20_000);
    bot.child.kill('SIGTERM');
    expect(await bot.exited, bot.output()).toBe(0);
    expect(bot.output()).toMatch(/threaddesk stopped; left in the outbox for the next start: \d+ to slack/);
    expect(bot.output()).toMatch(/"leftForNextStart":\{"slack":\d+\}/);
    bot = undefined;
  }, 90_000);
});
