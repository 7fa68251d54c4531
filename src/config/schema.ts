import { z } from 'zod';
import type { Registry } from './registry.js';
import { LANGUAGE_TAGS, parseLanguage } from '../i18n/languages.js';

/** A language the desk speaks, as written (`zh`, `zh-Hans`, `zh-CN`, `en`…). */
const language = z.string().refine((v) => parseLanguage(v) !== undefined, { message: `not a language this desk speaks; use one of ${LANGUAGE_TAGS.join(', ')} (zh and zh-Hans mean zh-CN)` });

/** A routing rule: every condition it names must hold; first matching rule wins (SPEC §7). */
const routingRule = z
  .object({
    queue: z.string().min(1),
    /** whatsapp | wechat | webchat | telegram | api (checked against the channels this build knows). */
    channel: z.string().min(1).optional(),
    /** The channel's account: a WhatsApp phone number id, a WeChat open_kfid, an API source. */
    account: z.string().min(1).optional(),
    /** Case-insensitive substrings of the customer's first message (`#refund`, `退款`); any one matches. */
    keywords: z.array(z.string().min(1)).min(1).optional(),
    /** Any one of these customer tags matches. */
    customer_tags: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict()
  .refine((r) => r.channel !== undefined || r.account !== undefined || r.keywords !== undefined || r.customer_tags !== undefined, {
    message: 'a rule needs at least one of channel, account, keywords or customer_tags (with none it would take every conversation: that is what the default queue is for)',
  });

/** The YAML file (`CONFIG_FILE`, default `config/bot.yaml`): everything that is not a secret or an endpoint. */
const fileShape = (queueSchema: z.ZodType<QueueEntry>) => z
  .object({
    desk: z
      .object({
        first_replier_claims: z.boolean().default(true),
        note_prefixes: z.array(z.string().min(1)).min(1).default(['//', 'note:']),
        command_prefix: z.string().min(1).max(3).default('!'),
        /** What the desk speaks where a queue or a seat sets nothing. */
        language: language.default('en'),
      })
      .strict()
      .default({ first_replier_claims: true, note_prefixes: ['//', 'note:'], command_prefix: '!', language: 'en' }),
    queues: z.array(queueSchema).default([]),
    /** SPEC §7: which queue a new conversation lands in, and when a seat is too busy for more. */
    routing: z
      .object({
        rules: z.array(routingRule).default([]),
        overload: z.number().int().min(1).max(500).default(15),
        underload: z.number().int().min(0).max(500).default(5),
      })
      .strict()
      .default({ rules: [], overload: 15, underload: 5 }),
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

/** One queue of the YAML: its name and department, the messenger, and each messenger's own channel key. */
export type QueueEntry = {
  name: string;
  department: string;
  messenger?: string | undefined;
  language?: string | undefined;
  assignment?: 'manual' | 'round_robin' | 'least_busy' | undefined;
  sticky_days?: number | undefined;
  hours?: z.infer<typeof hoursSchema> | undefined;
  away_reply?: string | undefined;
  away_reply_interval_minutes?: number | undefined;
  welcome?: z.infer<typeof welcomeSchema> | undefined;
  sla?: z.infer<typeof slaSchema> | undefined;
  inactivity_close_hours?: number | undefined;
  agent_identity?: z.infer<typeof agentIdentitySchema> | undefined;
} & { [channelKey: string]: unknown };

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM, e.g. 09:00');
/** SPEC §7 `hours`: absent = always open. */
const hoursSchema = z.object({
  time_zone: z.string().min(1),
  days: z.array(z.number().int().min(1).max(7)).default([1, 2, 3, 4, 5]),
  open: clock,
  close: clock,
  holidays: z.array(z.iso.date()).default([]),
}).strict();
/** SPEC §7 `welcome`: the first entry whose slot holds is sent. */
const welcomeSchema = z.array(z.object({
  between: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'HH:MM-HH:MM, e.g. 08:00-12:00').optional(),
  text: z.string().min(1),
}).strict()).min(1);
/** SPEC §7 `sla`. */
const slaSchema = z.object({
  first_response_seconds: z.number().int().min(1).max(86_400).default(90),
  no_reply_seconds: z.number().int().min(1).max(604_800).optional(),
  escalate_after_seconds: z.number().int().min(1).max(604_800).optional(),
}).strict();

/** SPEC §13 agent identity: the name on web chat and the API callback, a prefix where the channel shows no sender (off by default). */
const agentIdentitySchema = z.object({
  show_name: z.boolean().default(true),
  prefix: z.string().min(1).max(100).optional(),
  company: z.string().min(1).max(100).optional(),
}).strict();

/**
 * The file's schema for the registered messengers: `queues[].messenger` is one
 * of their ids, and each adds its channel key (`slack_channel`, `telegram_chat_id`…).
 */
export function fileSchemaFor(messengers: Registry['messengers']) {
  const ids = messengers.map((m) => m.id);
  const queue = z
    .object({
      name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _'),
      department: z.string().min(1).default('default'),
      /** Which messenger mirrors this queue (default: the first configured, in the registry's order). */
      messenger: z.enum(ids).optional(),
      /** What this queue's customers read, and its threads' shared posts (default: desk.language). */
      language: language.optional(),
      /** Who gets a new conversation: nobody (`manual`), the next seat in turn, or the one holding fewest. */
      assignment: z.enum(['manual', 'round_robin', 'least_busy']).optional(),
      /** Prefer the seat that served this customer last, within this many days (0 = off). */
      sticky_days: z.number().int().min(0).max(365).optional(),
      hours: hoursSchema.optional(),
      /** Sent outside hours; `{customer_name}`, `{queue}`, `{opens_at}` (default: the queue language's words). */
      away_reply: z.string().min(1).optional(),
      away_reply_interval_minutes: z.number().int().min(1).max(10_080).optional(),
      welcome: welcomeSchema.optional(),
      sla: slaSchema.optional(),
      inactivity_close_hours: z.number().min(0).max(8760).optional(),
      agent_identity: agentIdentitySchema.optional(),
      ...Object.fromEntries(messengers.map((m) => [m.queueChannel.key, m.queueChannel.schema.optional()])),
    })
    .strict();
  return fileShape(queue);
}

export type FileConfig = z.infer<ReturnType<typeof fileShape>>;

/** The environment variables of SPEC §4 that are not a messenger's or a channel's (those are in their modules). */
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
  SHUTDOWN_DRAIN_SECONDS: z.coerce.number().int().min(0).max(600).optional(),
  // When set, GET /metrics answers only `Authorization: Bearer <METRICS_TOKEN>` (Prometheus' `authorization` setting).
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces (it travels in an HTTP header)').optional(),
});

export type EnvConfig = z.infer<typeof envSchema>;
