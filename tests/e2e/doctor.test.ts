import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/doctor/run-doctor.js';
import { DEFAULT_BOT_SCOPES, startSlackFake, type SlackFake } from '../fakes/slack/start-slack-fake.js';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram/index.js';
import { startGraphFake } from '../fakes/whatsapp/start-graph-fake.js';
import { startDiscordFake } from '../fakes/discord/index.js';
import type { GraphFake } from '../fakes/whatsapp/graph-fake-types.js';

/** `threaddesk doctor` against the platform fakes: what an operator sees before the first start. */
describe('threaddesk doctor', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'td-doctor-'));
  const noFile = (): string => { throw Object.assign(new Error('no file'), { code: 'ENOENT' }); };
  const fakes: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const f of fakes) await f.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const run = async (env: Record<string, string>) => {
    let out = '';
    const code = await runDoctor({ DATA_DIR: dataDir, INBOUND_API_SECRET: 'inbound-secret-0123456789', ...env }, { readFile: noFile, write: (t) => { out += t; }, timeoutMs: 5_000 });
    return { code, out };
  };
  const slackEnv = (fake: SlackFake, channel = 'C0SUPPORT') => ({ SLACK_BOT_TOKEN: fake.config.botToken, SLACK_SIGNING_SECRET: 'signing-secret-123', SLACK_CHANNEL: channel, SLACK_API_URL: fake.url });
  const telegramEnv = (fake: TelegramFake) => ({ TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_CHAT_ID: String(fake.groupId), TELEGRAM_API_ROOT: fake.url });

  describe('on a Slack app missing scopes and a Telegram group without Topics', () => {
    let slack: SlackFake;
    let telegram: TelegramFake;
    beforeAll(async () => {
      slack = await startSlackFake({ scopes: DEFAULT_BOT_SCOPES.filter((s) => s !== 'files:read' && s !== 'commands') });
      telegram = await startTelegramFake({ groupIsForum: false });
      fakes.push(slack, telegram);
    });

    it('names each missing scope with why it is needed and how to add it, and the non-forum chat with how to turn Topics on; exit 1', async () => {
      const { code, out } = await run({ ...slackEnv(slack), ...telegramEnv(telegram) });
      expect(code).toBe(1);
      expect(out).toMatch(/✓ Slack: the bot token works: @threaddesk in workspace/);
      expect(out).toMatch(/✗ Slack: the bot token lacks 2 scopes: commands — the slash commands \(\/claim, \/seat …\); files:read — download files agents attach/);
      expect(out).toMatch(/fix: Add commands, files:read under "OAuth & Permissions" → "Bot Token Scopes".*Reinstall to Workspace/);
      expect(out).toMatch(/✓ Slack channel C0SUPPORT: #c0support exists and the bot is a member/);
      expect(out).toMatch(/✓ Telegram: the bot token works: @threaddesk_bot/);
      expect(out).toMatch(/✗ Telegram chat -100\d+: "Support desk" is not a forum supergroup \(Topics off\)/);
      expect(out).toMatch(/fix: In Telegram: the group → Edit → turn Topics on/);
      expect(out).toMatch(/✓ Store: embedded, in .*td-doctor-.* \(writable\)/);
      expect(out).toMatch(/✓ API \(customer channel\): configured \(nothing to check against the platform\)/);
      expect(out.trim().split('\n').at(-1)).toBe('2 things to fix before threaddesk works fully.');
      // It asked Slack the way a token's scopes are known: from the x-oauth-scopes of auth.test.
      expect(slack.calls.filter((c) => c.method === 'auth.test')).toHaveLength(1);
    });
  });

  describe('on a correct install', () => {
    let slack: SlackFake;
    let telegram: TelegramFake;
    let graph: GraphFake;
    beforeAll(async () => {
      slack = await startSlackFake({ outsideChannels: ['C0ELSEWHERE'] });
      telegram = await startTelegramFake();
      graph = await startGraphFake({ accessToken: 'EAAG-doctor-token', phoneNumberId: '106540352242922', appSecret: 'app-secret-doctor' });
      fakes.push(slack, telegram, graph);
    });
    const whatsappEnv = () => ({ WHATSAPP_ACCESS_TOKEN: 'EAAG-doctor-token', WHATSAPP_APP_SECRET: 'app-secret-doctor', WHATSAPP_VERIFY_TOKEN: 'verify-doctor', WHATSAPP_PHONE_NUMBER_ID: '106540352242922', WHATSAPP_API_URL: graph.url });

    it('says everything checked is in order and exits 0', async () => {
      const { code, out } = await run({ ...slackEnv(slack), ...telegramEnv(telegram), ...whatsappEnv() });
      expect(out).not.toContain('✗');
      expect(out).toMatch(/✓ Slack: the bot token has every scope threaddesk uses/);
      expect(out).toMatch(/✓ Telegram chat -100\d+: "Support desk" is a supergroup with Topics on/);
      expect(out).toMatch(/✓ Telegram chat -100\d+: @threaddesk_bot is an administrator with the rights threaddesk uses/);
      expect(out).toMatch(/✓ WhatsApp: the token may send from 15550783881/);
      expect(out.trim().split('\n').at(-1)).toBe('Everything checked is in order.');
      expect(code).toBe(0);
    });

    it('reports a channel the bot was not invited to, a refused token, a wrong WhatsApp number id and an unreachable Redis', async () => {
      const { code, out } = await run({ ...slackEnv(slack, 'C0ELSEWHERE'), ...whatsappEnv(), WHATSAPP_PHONE_NUMBER_ID: '999999999999999', REDIS_URL: 'redis://127.0.0.1:1' });
      expect(code).toBe(1);
      expect(out).toMatch(/✗ Slack channel C0ELSEWHERE: the bot is not a member of #c0elsewhere.*\n    fix: Type \/invite @threaddesk in #c0elsewhere\./);
      expect(out).toMatch(/✗ WhatsApp: phone number 999999999999999 is unknown to this token.*\n    fix: Copy the Phone number ID/);
      expect(out).toMatch(/✗ Redis: unreachable \(redis:\/\/127\.0\.0\.1:1.*\n    fix: Start Redis, or fix REDIS_URL/);
      const refused = await run({ ...slackEnv(slack), SLACK_BOT_TOKEN: 'xoxb-not-the-token' });
      expect(refused.out).toMatch(/✗ Slack: the bot token was refused \(invalid_auth\)\n    fix: Copy the Bot User OAuth Token/);
    });

    it('in Telegram webhook mode, says when no webhook is set and how to set it', async () => {
      const { code, out } = await run({ ...telegramEnv(telegram), TELEGRAM_WEBHOOK_SECRET: 'hook-secret' });
      expect(code).toBe(1);
      expect(out).toMatch(/✗ Telegram webhook: webhook mode, but no webhook is set.*\n    fix: Call setWebhook with url=https:\/\/<public host>\/telegram\/webhook/);
    });

    it('a bot that is not an admin (or lacks Manage Topics) is told how to promote it', async () => {
      const member = await startTelegramFake({ botStanding: { status: 'member' } });
      const noTopics = await startTelegramFake({ botStanding: { status: 'administrator', rights: { can_delete_messages: true } } });
      fakes.push(member, noTopics);
      expect((await run(telegramEnv(member))).out).toMatch(/✗ Telegram chat .*: @threaddesk_bot is not an administrator there.*\n    fix: Group → Edit → Administrators → Add Admin → @threaddesk_bot, with "Manage Topics"/);
      expect((await run(telegramEnv(noTopics))).out).toMatch(/✗ Telegram chat .*: @threaddesk_bot is an administrator without "Manage Topics" \(to open a topic per conversation/);
    });
  });

  it('checks a Discord token and channel, and gives the invite URL when the bot cannot see the channel', async () => {
    const discord = await startDiscordFake();
    fakes.push(discord);
    const env = { DISCORD_TOKEN: discord.config.token, DISCORD_APPLICATION_ID: discord.config.applicationId, DISCORD_GUILD_ID: discord.config.guildId, DISCORD_CHANNEL_ID: discord.config.channels[0]!, DISCORD_API_URL: discord.url };
    const good = await run(env);
    expect(good.out).toMatch(/✓ Discord: the bot token works/);
    expect(good.out).toMatch(/✓ Discord channel \d+: #.* is visible to the bot/);
    expect(good.code).toBe(0);
    const bad = await run({ ...env, DISCORD_CHANNEL_ID: '123456789012345678' });
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/✗ Discord channel 123456789012345678: no such channel\n    fix: Add the bot to the server with https:\/\/discord\.com\/oauth2\/authorize\?client_id=\d+&scope=bot\+applications\.commands&permissions=309237763136/);
    const refused = await run({ ...env, DISCORD_TOKEN: 'not-the-token-0123456789' });
    expect(refused.out).toMatch(/✗ Discord: the bot token was refused/);
  });

  it('stops at the configuration, listing its problems, with exit code 2', async () => {
    let out = '';
    const code = await runDoctor({ DATA_DIR: dataDir, SLACK_BOT_TOKEN: 'nope' }, { readFile: noFile, write: (t) => { out += t; } });
    expect(code).toBe(2);
    expect(out).toMatch(/^threaddesk doctor: \d+ problems in the configuration\./);
    expect(out).toContain('SLACK_BOT_TOKEN: a bot token starts with xoxb-');
  });
});
