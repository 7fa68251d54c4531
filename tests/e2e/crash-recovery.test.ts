import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackFake, type SlackFake } from '../fakes/slack/index.js';
import { startGraphFake, type GraphFake } from '../fakes/whatsapp/start-graph-fake.js';
import { postWebhook, textMessageWebhook } from '../fakes/whatsapp/webhooks.js';
import { SECRETS } from '../support/start-desk.js';
import { freePort, spawnBot, type SpawnedBot } from '../support/spawn-bot.js';

const CONVERSATIONS = 5;
const PER_CONVERSATION = 2;

/**
 * Crash safety (issue acceptance): the bot is killed with SIGKILL while
 * messages wait in its outbox, started again on the same DATA_DIR, and every
 * queued message arrives exactly once; the thread mappings survive.
 */
describe('kill -9 with a full outbox, then restart on the same DATA_DIR', () => {
  let slack: SlackFake;
  let graph: GraphFake;
  let dataDir: string;
  let bot: SpawnedBot | undefined;
  beforeAll(async () => {
    slack = await startSlackFake(); // Slack's budget: a burst of 3, then 1 post/s per channel.
    graph = await startGraphFake({ accessToken: SECRETS.waToken, phoneNumberId: SECRETS.phoneNumberId, appSecret: SECRETS.waAppSecret });
    dataDir = mkdtempSync(join(tmpdir(), 'threaddesk-crash-'));
  });
  afterAll(async () => {
    bot?.child.kill('SIGKILL');
    await Promise.all([slack?.close(), graph?.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const envFor = (port: number): Record<string, string> => ({
    PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn',
    SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRETS.slackSigning, SLACK_CHANNEL: 'C0SUPPORT', SLACK_API_URL: slack.url,
    WHATSAPP_ACCESS_TOKEN: SECRETS.waToken, WHATSAPP_APP_SECRET: SECRETS.waAppSecret, WHATSAPP_VERIFY_TOKEN: SECRETS.waVerify,
    WHATSAPP_PHONE_NUMBER_ID: SECRETS.phoneNumberId, WHATSAPP_API_URL: graph.url, BOOTSTRAP_ADMINS: 'slack:U0AGENT',
  });
  const biz = { phoneNumberId: SECRETS.phoneNumberId };
  const customer = (c: number) => `49170555000${c}`;
  const write = (url: string, c: number, text: string) => postWebhook(url, SECRETS.waAppSecret, textMessageWebhook(biz, { from: customer(c), body: text, name: `Customer ${c}` }));
  const posted = (text: string) => slack.messages.filter((m) => m.text.split('\n').includes(text));

  it('delivers every queued message exactly once after a SIGKILL and keeps the threads', async () => {
    bot = await spawnBot(envFor(await freePort()));
    const texts: string[] = [];
    for (let c = 0; c < CONVERSATIONS; c++) {
      for (let i = 0; i < PER_CONVERSATION; i++) {
        const text = `conversation ${c} message ${i}`;
        texts.push(text);
        expect((await write(bot.url, c, text)).status).toBe(200);
      }
    }
    // Everything is acknowledged, so it is in the outbox. Let a few posts out, then kill between two posts.
    await slack.waitFor((s) => s.callsTo('chat.postMessage').length >= 4, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    bot.child.kill('SIGKILL');
    await bot.exited;
    const before = slack.callsTo('chat.postMessage').length;
    const missing = texts.filter((t) => posted(t).length === 0);
    expect(missing.length, 'the kill must leave messages queued').toBeGreaterThan(0);

    bot = await spawnBot(envFor(await freePort()));
    await slack.waitFor(() => texts.every((t) => posted(t).length > 0), 30_000);
    expect(slack.callsTo('chat.postMessage').length).toBeGreaterThan(before);
    for (const t of texts) expect(posted(t), t).toHaveLength(1);
    // One header (thread) per conversation, never a second one after the restart.
    const headers = slack.messages.filter((m) => !m.thread_ts && m.channel === 'C0SUPPORT');
    expect(headers).toHaveLength(CONVERSATIONS);
    // The thread mapping survived: a new message of conversation 0 lands in its old thread.
    const thread0 = posted('conversation 0 message 0')[0]!.thread_ts;
    expect((await write(bot.url, 0, 'after the restart')).status).toBe(200);
    const late = await slack.waitFor((s) => s.messages.find((m) => m.text.split('\n').includes('after the restart')), 15_000);
    expect(late.thread_ts).toBe(thread0);
  }, 90_000);
});
