import { z } from 'zod';

/** The YAML file (`CONFIG_FILE`, default `config/bot.yaml`): everything that is not a secret or an endpoint. */
export const fileSchema = z
  .object({
    desk: z
      .object({
        first_replier_claims: z.boolean().default(true),
        note_prefixes: z.array(z.string().min(1)).min(1).default(['//', 'note:']),
        command_prefix: z.string().min(1).max(3).default('!'),
      })
      .strict()
      .default({ first_replier_claims: true, note_prefixes: ['//', 'note:'], command_prefix: '!' }),
    queues: z
      .array(
        z
          .object({
            name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _'),
            department: z.string().min(1).default('default'),
            /** Which messenger mirrors this queue (default: the first configured of slack, telegram, discord). */
            messenger: z.enum(['slack', 'telegram', 'discord']).optional(),
            slack_channel: z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'a Slack channel id such as C0123ABCD').optional(),
            telegram_chat_id: z.string().regex(/^-?\d+$/, 'a chat id such as -1001234567890').optional(),
            discord_channel_id: z.string().regex(/^\d{5,20}$/, 'a channel id (a snowflake such as 1234567890123456789)').optional(),
          })
          .strict(),
      )
      .default([]),
    api: z
      .object({
        sources: z
          .record(
            z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _'),
            z.object({ callback_url: z.url({ protocol: /^https?$/ }) }).strict(),
          )
          .default({}),
      })
      .strict()
      .default({ sources: {} }),
    seat_templates: z
      .record(
        z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _'),
        z.object({
          department: z.string().min(1).optional(),
          roles: z.array(z.enum(['admin', 'supervisor', 'lead', 'agent', 'security'])).optional(),
          queues: z.array(z.string().min(1)).optional(),
          max: z.number().int().min(1).max(500).optional(),
        }).strict(),
      )
      .default({}),
    security: z
      .object({
        quiet_period_minutes: z.number().int().min(1).max(10_080).default(60),
        ack_timeout_minutes: z.number().int().min(1).max(10_080).default(30),
        time_zone: z.string().default('UTC'),
        work_hours: z.string().regex(/^([01]\d|2[0-3]):00-([01]\d|2[0-4]):00$/, 'HH:00-HH:00, e.g. 09:00-18:00').default('09:00-18:00'),
        work_days: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
        failed_logins: z.object({ count: z.number().int().min(1), window_minutes: z.number().min(1) }).strict().default({ count: 5, window_minutes: 10 }),
        max_travel_kmh: z.number().min(100).default(1000),
        export_rows: z.number().int().min(1).default(10_000),
        export_factor: z.number().min(1).default(5),
        change_burst: z.object({ count: z.number().int().min(1), window_minutes: z.number().min(1) }).strict().default({ count: 10, window_minutes: 10 }),
        denial_burst: z.object({ count: z.number().int().min(1), window_minutes: z.number().min(1) }).strict().default({ count: 3, window_minutes: 10 }),
        accounts: z.record(z.string(), z.object({
          time_zone: z.string().optional(),
          work_hours: z.string().regex(/^([01]\d|2[0-3]):00-([01]\d|2[0-4]):00$/, 'HH:00-HH:00').optional(),
          work_days: z.array(z.number().int().min(1).max(7)).min(1).optional(),
        }).strict()).default({}),
      })
      .strict()
      .default({ quiet_period_minutes: 60, ack_timeout_minutes: 30, time_zone: 'UTC', work_hours: '09:00-18:00', work_days: [1, 2, 3, 4, 5], failed_logins: { count: 5, window_minutes: 10 }, max_travel_kmh: 1000, export_rows: 10_000, export_factor: 5, change_burst: { count: 10, window_minutes: 10 }, denial_burst: { count: 3, window_minutes: 10 }, accounts: {} }),
    outbox: z
      .object({ shutdown_drain_seconds: z.number().int().min(0).max(600).default(10) })
      .strict()
      .default({ shutdown_drain_seconds: 10 }),
    log_level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  })
  .strict();

export type FileConfig = z.infer<typeof fileSchema>;

/** The environment variables of SPEC §4. */
export const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  // Keys (and the shared limiters) live under this prefix, so installs can share one Redis.
  REDIS_PREFIX: z.string().max(64, 'at most 64 characters').regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*:$/, 'letters, digits, ".", "_", "-" and ":", starting with a letter or digit and ending with ":", no spaces').default('threaddesk:'),
  CONFIG_FILE: z.string().min(1).default('config/bot.yaml'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).optional(),
  BOOTSTRAP_ADMINS: z.string().optional(),
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'a bot token starts with xoxb-').optional(),
  SLACK_SIGNING_SECRET: z.string().min(8).optional(),
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'an app-level token starts with xapp-').optional(),
  SLACK_CHANNEL: z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'a channel id such as C0123ABCD, not a #name').optional(),
  SLACK_API_URL: z.url({ protocol: /^https?$/ }).default('https://slack.com/api/'),
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'a bot token looks like 123456:ABC-DEF… (from @BotFather)').optional(),
  TELEGRAM_CHAT_ID: z.string().regex(/^-?\d+$/, 'a chat id such as -1001234567890').optional(),
  TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, '1–256 characters of A-Z, a-z, 0-9, _ and - (Telegram\'s rule for secret_token)').optional(),
  TELEGRAM_API_ROOT: z.url({ protocol: /^https?$/ }).default('https://api.telegram.org'),
  DISCORD_TOKEN: z.string().min(20).optional(),
  DISCORD_APPLICATION_ID: z.string().regex(/^\d{5,20}$/, 'a snowflake id (digits)').optional(),
  DISCORD_GUILD_ID: z.string().regex(/^\d{5,20}$/, 'a snowflake id (digits)').optional(),
  DISCORD_CHANNEL_ID: z.string().regex(/^\d{5,20}$/, 'a snowflake id (digits)').optional(),
  DISCORD_API_URL: z.url({ protocol: /^https?$/ }).default('https://discord.com/api'),
  WHATSAPP_ACCESS_TOKEN: z.string().min(1).optional(),
  WHATSAPP_APP_SECRET: z.string().min(1).optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().min(1).optional(),
  WHATSAPP_PHONE_NUMBER_ID: z.string().regex(/^\d+$/, 'digits only (the id from the WhatsApp Manager, not the phone number)').optional(),
  WHATSAPP_API_URL: z.url({ protocol: /^https?$/ }).default('https://graph.facebook.com/v21.0'),
  INBOUND_API_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  SHUTDOWN_DRAIN_SECONDS: z.coerce.number().int().min(0).max(600).optional(),
});

export type EnvConfig = z.infer<typeof envSchema>;
