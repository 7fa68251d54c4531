import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import type { Platform } from '../core/model.js';
import type { Config } from './config.js';
import { envSchema, fileSchema, type EnvConfig } from './schema.js';

export type LoadResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** What to do about a bad environment variable, beyond zod's message. */
const ENV_FIXES: Record<string, string> = {
  PORT: 'Set PORT to a port number such as 3000.',
  REDIS_URL: 'Set REDIS_URL like redis://127.0.0.1:6379, or unset it to use the embedded store in DATA_DIR.',
  REDIS_PREFIX: 'Set REDIS_PREFIX to a short name of this install ending with ":", such as acme-support:, or unset it for the default threaddesk:.',
  SLACK_BOT_TOKEN: 'Copy the Bot User OAuth Token (xoxb-…) from your Slack app\'s "OAuth & Permissions" page.',
  SLACK_APP_TOKEN: 'Create an app-level token with the connections:write scope (xapp-…) under "Basic Information", or unset it to receive events over HTTP.',
  SLACK_CHANNEL: 'Open the channel in Slack, "View channel details", and copy the Channel ID at the bottom (C…).',
  SLACK_SIGNING_SECRET: 'Copy the Signing Secret from your Slack app\'s "Basic Information" page.',
  WHATSAPP_PHONE_NUMBER_ID: 'Copy the Phone number ID from WhatsApp Manager → API Setup.',
  INBOUND_API_SECRET: 'Generate one with `openssl rand -hex 32` and give it to the systems that call /api/messages.',
  SLACK_API_URL: 'Use a full URL such as https://slack.com/api/.',
  WHATSAPP_API_URL: 'Use the Graph API base including the version, such as https://graph.facebook.com/v21.0.',
};

/**
 * Reads the environment (passed in, never `process.env` directly) and the YAML
 * file, and returns either the config or every problem found, each with its
 * fix. Nothing is half-loaded.
 */
export function loadConfig(env: Record<string, string | undefined>, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): LoadResult {
  const problems: string[] = [];
  const cleanEnv = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  // Each variable on its own, so one bad value does not hide the problems of the others.
  const envValues: Record<string, unknown> = {};
  let envOk = true;
  for (const [name, schema] of Object.entries(envSchema.shape)) {
    const r = (schema as z.ZodType).safeParse(cleanEnv[name]);
    if (r.success) envValues[name] = r.data;
    else {
      envOk = false;
      problems.push(...zodProblems(r.error, () => name, () => ENV_FIXES[name]));
    }
  }
  const configFile = (cleanEnv.CONFIG_FILE as string | undefined) ?? 'config/bot.yaml';
  let fileRaw: unknown = {};
  try {
    fileRaw = parseYaml(readFile(configFile)) ?? {};
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') {
      if (cleanEnv.CONFIG_FILE) problems.push(`CONFIG_FILE ${configFile} does not exist. Create it (see config/bot.example.yaml) or unset CONFIG_FILE to use the defaults.`);
    } else {
      problems.push(`${configFile} is not valid YAML: ${e.message.split('\n')[0]}. Fix the file and start again.`);
    }
  }
  const fileResult = fileSchema.safeParse(fileRaw);
  if (!fileResult.success) problems.push(...zodProblems(fileResult.error, (path) => `${configFile}: ${path}`, () => undefined));

  const e = envValues as EnvConfig;
  // A bad file is reported above; the checks below still run on its defaults, so every problem shows at once.
  const f = fileResult.success ? fileResult.data : fileSchema.parse({});

  // Messengers: at least one, complete.
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

  // Customer channels.
  let whatsapp: Config['whatsapp'];
  const waVars = ['WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID'] as const;
  const waMissing = waVars.filter((k) => !e[k]);
  if (waMissing.length && waMissing.length < waVars.length) {
    problems.push(`WhatsApp is half configured: ${waMissing.join(', ')} ${waMissing.length > 1 ? 'are' : 'is'} missing. Set all four from your Meta app (WhatsApp → API Setup; the app secret under App settings → Basic), or unset the others.`);
  } else if (!waMissing.length) {
    whatsapp = { accessToken: e.WHATSAPP_ACCESS_TOKEN!, appSecret: e.WHATSAPP_APP_SECRET!, verifyToken: e.WHATSAPP_VERIFY_TOKEN!, phoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID!, apiUrl: e.WHATSAPP_API_URL.replace(/\/+$/, '') };
  }
  const sources = Object.fromEntries(Object.entries(f.api.sources).map(([k, v]) => [k, { callbackUrl: v.callback_url }]));
  let api: Config['api'];
  if (e.INBOUND_API_SECRET) api = { secret: e.INBOUND_API_SECRET, sources };
  else if (Object.keys(sources).length) problems.push(`${configFile}: api.sources are configured but INBOUND_API_SECRET is not set, so /api/messages would stay off. ${ENV_FIXES.INBOUND_API_SECRET}`);
  if (!whatsapp && !api && !problems.some((p) => p.startsWith('WhatsApp'))) {
    problems.push('No customer channel is configured, so no customer can reach the desk. Set the four WHATSAPP_* variables, or INBOUND_API_SECRET for the HTTP API (POST /api/messages).');
  }

  // Bootstrap admins.
  const bootstrapAdmins: Config['bootstrapAdmins'] = [];
  for (const entry of (e.BOOTSTRAP_ADMINS ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(slack|telegram|discord):([A-Za-z0-9_-]+)$/.exec(entry);
    if (!m) problems.push(`BOOTSTRAP_ADMINS entry "${entry}" is not <messenger>:<user id>. Write it like slack:U0123ABCD (Slack: profile → ⋮ → Copy member ID).`);
    else bootstrapAdmins.push({ platform: m[1] as Platform, userId: m[2]! });
  }

  // Queues: `default` always exists; a queue goes to the first configured messenger unless it names one.
  const configured: Platform[] = [...(slack ? ['slack' as const] : []), ...(telegram ? ['telegram' as const] : []), ...(discord ? ['discord' as const] : [])];
  const defaults: Record<Platform, string | undefined> = { slack: slack?.channel, telegram: telegram?.chatId, discord: discord?.channelId };
  const queues: Config['queues'] = [];
  const names = new Set<string>();
  for (const q of [...f.queues, ...(f.queues.some((q) => q.name === 'default') ? [] : [{ name: 'default', department: 'default' } as (typeof f.queues)[number]])]) {
    if (names.has(q.name)) problems.push(`${configFile}: queue "${q.name}" is listed twice. Keep one.`);
    names.add(q.name);
    const messenger = q.messenger ?? configured[0];
    if (!messenger) continue; // "no messenger" is reported above
    if (!configured.includes(messenger)) { problems.push(`${configFile}: queue "${q.name}" uses ${messenger}, which is not configured. Set its variables or pick another messenger.`); continue; }
    const channel = { slack: q.slack_channel, telegram: q.telegram_chat_id, discord: q.discord_channel_id }[messenger] ?? defaults[messenger];
    if (!channel) problems.push(`${configFile}: queue "${q.name}" has no channel for ${messenger}. Give it one.`);
    else queues.push({ name: q.name, department: q.department, messenger, channel });
  }
  // The default queue first: it is where unrouted conversations go.
  queues.sort((a, b) => Number(b.name === 'default') - Number(a.name === 'default'));

  // Security: time zones must be real IANA names (a typo would silently shift every "unusual hours" alert).
  const sec = f.security;
  const validZone = (tz: string) => { try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; } };
  for (const [where, tz] of [['security.time_zone', sec.time_zone], ...Object.entries(sec.accounts).map(([a, p]) => [`security.accounts.${a}.time_zone`, p.time_zone] as const)] as const) {
    if (tz && !validZone(tz)) problems.push(`${configFile}: ${where} "${tz}" is not a time zone. Use an IANA name such as Europe/Berlin or Asia/Shanghai.`);
  }
  const hours = (s: string) => { const [a, b] = s.split('-'); return { workStartHour: Number(a!.slice(0, 2)), workEndHour: Number(b!.slice(0, 2)) }; };
  const defaultProfile = { timeZone: sec.time_zone, ...hours(sec.work_hours), workDays: sec.work_days };
  const minutes = (m: number) => m * 60_000;

  if (problems.length || !envOk || !fileResult.success) return { ok: false, problems };
  return {
    ok: true,
    config: {
      http: { port: e.PORT, host: e.HOST },
      dataDir: e.DATA_DIR,
      redisUrl: e.REDIS_URL,
      redisPrefix: e.REDIS_PREFIX,
      logLevel: e.LOG_LEVEL ?? f.log_level,
      bootstrapAdmins,
      desk: { firstReplierClaims: f.desk.first_replier_claims, notePrefixes: f.desk.note_prefixes, commandPrefix: f.desk.command_prefix },
      queues,
      slack,
      telegram,
      discord,
      whatsapp,
      api,
      seatTemplates: f.seat_templates,
      security: {
        quietMs: minutes(sec.quiet_period_minutes),
        ackTimeoutMs: minutes(sec.ack_timeout_minutes),
        thresholds: {
          failedLogins: { count: sec.failed_logins.count, windowMs: minutes(sec.failed_logins.window_minutes) },
          maxTravelKmh: sec.max_travel_kmh,
          exportRows: sec.export_rows,
          exportFactor: sec.export_factor,
          changeBurst: { count: sec.change_burst.count, windowMs: minutes(sec.change_burst.window_minutes) },
          denialBurst: { count: sec.denial_burst.count, windowMs: minutes(sec.denial_burst.window_minutes) },
        },
        defaultProfile,
        profiles: Object.fromEntries(Object.entries(sec.accounts).map(([actor, p]) => [actor, {
          timeZone: p.time_zone ?? defaultProfile.timeZone,
          ...(p.work_hours ? hours(p.work_hours) : { workStartHour: defaultProfile.workStartHour, workEndHour: defaultProfile.workEndHour }),
          workDays: p.work_days ?? defaultProfile.workDays,
        }])),
      },
      shutdownDrainMs: (e.SHUTDOWN_DRAIN_SECONDS ?? f.outbox.shutdown_drain_seconds) * 1000,
    },
  };
}

function zodProblems(error: z.ZodError, where: (path: string) => string, fix: (path: string) => string | undefined): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.join('.') || '(top level)';
    const extra = fix(path);
    const msg = issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}: check the spelling` : issue.message;
    return `${where(path)}: ${msg}.${extra ? ` ${extra}` : ''}`;
  });
}

/** Prints every problem with its fix, for the operator reading the terminal. */
export function formatProblems(problems: readonly string[]): string {
  const head = `threaddesk cannot start: ${problems.length} problem${problems.length > 1 ? 's' : ''} in the configuration.`;
  return [head, ...problems.map((p, i) => `  ${i + 1}. ${p}`), 'Fix them and start again (see README.md, "Configuration").'].join('\n');
}
