import type { Config } from './config.js';
import { ENV_FIXES } from './env-fixes.js';
import type { EnvConfig } from './schema.js';

/** The messengers agents work in (undefined when not configured). */
export interface Messengers {
  slack: Config['slack'];
  telegram: Config['telegram'];
  discord: Config['discord'];
}

/** Messengers: at least one, complete. `cleanEnv` tells which variables were given at all. */
export function readMessengers(cleanEnv: Record<string, string | undefined>, e: EnvConfig, problems: string[]): Messengers {
  let slack: Config['slack'];
  const slackSet = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_CHANNEL'].some((k) => cleanEnv[k] !== undefined);
  if (slackSet) {
    if (cleanEnv.SLACK_BOT_TOKEN === undefined) problems.push(`SLACK_BOT_TOKEN is missing. ${ENV_FIXES.SLACK_BOT_TOKEN}`);
    if (cleanEnv.SLACK_SIGNING_SECRET === undefined && cleanEnv.SLACK_APP_TOKEN === undefined) problems.push(`Slack needs SLACK_SIGNING_SECRET (events over HTTP at POST /slack/events) or SLACK_APP_TOKEN (Socket Mode, no public URL). ${ENV_FIXES.SLACK_SIGNING_SECRET}`);
    if (cleanEnv.SLACK_CHANNEL === undefined) problems.push(`SLACK_CHANNEL is missing: conversations need a channel to appear in. ${ENV_FIXES.SLACK_CHANNEL}`);
    if (e.SLACK_BOT_TOKEN && (e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN) && e.SLACK_CHANNEL) {
      slack = { botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, appToken: e.SLACK_APP_TOKEN, channel: e.SLACK_CHANNEL, apiUrl: e.SLACK_API_URL };
    }
  }
  let telegram: Config['telegram'];
  const telegramSet = ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_CHAT_ID', 'TELEGRAM_WEBHOOK_SECRET'].some((k) => cleanEnv[k] !== undefined);
  if (telegramSet) {
    if (cleanEnv.TELEGRAM_BOT_TOKEN === undefined) problems.push('TELEGRAM_BOT_TOKEN is missing. Create a bot with @BotFather and copy its token.');
    if (cleanEnv.TELEGRAM_CHAT_ID === undefined) problems.push('TELEGRAM_CHAT_ID is missing: the agents\' supergroup (forum topics on, the bot an admin who can manage topics). Its id starts with -100.');
    if (e.TELEGRAM_BOT_TOKEN && e.TELEGRAM_CHAT_ID) {
      telegram = { botToken: e.TELEGRAM_BOT_TOKEN, chatId: e.TELEGRAM_CHAT_ID, webhookSecret: e.TELEGRAM_WEBHOOK_SECRET, apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, '') };
    }
  }
  let discord: Config['discord'];
  const discordVars = ['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID', 'DISCORD_GUILD_ID', 'DISCORD_CHANNEL_ID'] as const;
  const discordMissing = discordVars.filter((k) => cleanEnv[k] === undefined);
  if (discordMissing.length && discordMissing.length < discordVars.length) {
    problems.push(`Discord is half configured: ${discordMissing.join(', ')} ${discordMissing.length > 1 ? 'are' : 'is'} missing. Copy them from the Developer Portal (token, application id) and from Discord with developer mode on (server and channel ids).`);
  } else if (!discordMissing.length && e.DISCORD_TOKEN && e.DISCORD_APPLICATION_ID && e.DISCORD_GUILD_ID && e.DISCORD_CHANNEL_ID) {
    discord = { token: e.DISCORD_TOKEN, applicationId: e.DISCORD_APPLICATION_ID, guildId: e.DISCORD_GUILD_ID, channelId: e.DISCORD_CHANNEL_ID, apiUrl: e.DISCORD_API_URL.replace(/\/+$/, '') };
  }
  if (!slackSet && !telegramSet && discordMissing.length === discordVars.length) {
    problems.push('No messenger is configured, so agents would have nowhere to see conversations. Set SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode) and SLACK_CHANNEL; or TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID; or the four DISCORD_* variables.');
  }
  return { slack, telegram, discord };
}
