import { z } from 'zod';
import { defineMessenger } from '../messenger-module.js';
import { DISCORD_BUDGETS } from './budgets.js';

const SNOWFLAKE = /^\d{5,20}$/;
const VARIABLES = ['DISCORD_TOKEN', 'DISCORD_APPLICATION_ID', 'DISCORD_GUILD_ID', 'DISCORD_CHANNEL_ID'] as const;

/** Discord: discord.js over the gateway (one replica holds it) and REST; one thread per conversation. */
export const discordMessenger = defineMessenger({
  id: 'discord',
  label: 'Discord',
  env: {
    DISCORD_TOKEN: z.string().min(20).optional(),
    DISCORD_APPLICATION_ID: z.string().regex(SNOWFLAKE, 'a snowflake id (digits)').optional(),
    DISCORD_GUILD_ID: z.string().regex(SNOWFLAKE, 'a snowflake id (digits)').optional(),
    DISCORD_CHANNEL_ID: z.string().regex(SNOWFLAKE, 'a snowflake id (digits)').optional(),
    DISCORD_API_URL: z.url({ protocol: /^https?$/ }).default('https://discord.com/api'),
  },
  howToEnable: 'the four DISCORD_* variables',
  read({ given, values: e }, problems) {
    const missing = VARIABLES.filter((k) => given[k] === undefined);
    const mentioned = missing.length < VARIABLES.length;
    if (!mentioned) return { mentioned };
    if (missing.length) {
      problems.push(`Discord is half configured: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing. Copy them from the Developer Portal (token, application id) and from Discord with developer mode on (server and channel ids).`);
      return { mentioned };
    }
    if (!e.DISCORD_TOKEN || !e.DISCORD_APPLICATION_ID || !e.DISCORD_GUILD_ID || !e.DISCORD_CHANNEL_ID || !e.DISCORD_API_URL) return { mentioned };
    return { mentioned, settings: { token: e.DISCORD_TOKEN, applicationId: e.DISCORD_APPLICATION_ID, guildId: e.DISCORD_GUILD_ID, channelId: e.DISCORD_CHANNEL_ID, apiUrl: e.DISCORD_API_URL.replace(/\/+$/, '') } };
  },
  queueChannel: { key: 'discord_channel_id', schema: z.string().regex(SNOWFLAKE, 'a channel id (a snowflake such as 1234567890123456789)'), defaultOf: (s) => s.channelId },
  userIds: { pattern: /^[A-Za-z0-9_-]+$/, example: 'discord:123456789012345678 (developer mode → Copy User ID)' },
  budgets: DISCORD_BUDGETS,
  // discord.js (~600 ms of CPU and its memory at start) loads only when Discord is configured, checked or set up.
  create: async (settings, ctx) => (await import('./adapter.js')).createDiscordAdapter({ ...settings, ...ctx }),
  doctor: async (settings, ctx) => (await import('./setup/doctor.js')).checkDiscord(settings, ctx),
  setup: async (_args, env) => ({
    text: (await import('./setup/permissions.js')).printDiscordSetup(env),
    next: 'Open the invite URL as a server admin, then check it all with: npm run doctor',
  }),
});
