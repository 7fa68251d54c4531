import type { Platform, Role } from '../core/model.js';

/** The validated configuration: parsed once at start (`loadConfig`), passed down from there. */
export interface Config {
  http: { port: number; host: string };
  dataDir: string;
  redisUrl: string | undefined;
  /** Key prefix in Redis, for the store and the shared rate limiters (`REDIS_PREFIX`, default `threaddesk:`). */
  redisPrefix: string;
  logLevel: string;
  bootstrapAdmins: { platform: Platform; userId: string }[];
  desk: { firstReplierClaims: boolean; notePrefixes: string[]; commandPrefix: string };
  /** Each queue is mirrored into one messenger's channel (Slack channel, Telegram supergroup, Discord channel). */
  queues: { name: string; department: string; messenger: Platform; channel: string }[];
  slack:
    | {
        botToken: string;
        /** HTTP mode: events at POST /slack/events, signed with this secret. */
        signingSecret: string | undefined;
        /** Socket Mode when set. */
        appToken: string | undefined;
        channel: string;
        apiUrl: string;
      }
    | undefined;
  telegram:
    | {
        botToken: string;
        /** The agents' supergroup, with forum topics on. */
        chatId: string;
        /** Webhook mode at POST /telegram/webhook when set; long polling otherwise. */
        webhookSecret: string | undefined;
        apiRoot: string;
      }
    | undefined;
  discord: { token: string; applicationId: string; guildId: string; channelId: string; apiUrl: string } | undefined;
  whatsapp: { accessToken: string; appSecret: string; verifyToken: string; phoneNumberId: string; apiUrl: string } | undefined;
  api: { secret: string; sources: Record<string, { callbackUrl: string }> } | undefined;
  shutdownDrainMs: number;
  security: {
    quietMs: number;
    ackTimeoutMs: number;
    thresholds: { failedLogins: { count: number; windowMs: number }; maxTravelKmh: number; exportRows: number; exportFactor: number; changeBurst: { count: number; windowMs: number }; denialBurst: { count: number; windowMs: number } };
    defaultProfile: { timeZone: string; workStartHour: number; workEndHour: number; workDays: number[] };
    profiles: Record<string, { timeZone: string; workStartHour: number; workEndHour: number; workDays: number[] }>;
  };
  /** Named seat defaults for `/seat add … template=…` and CSV imports. */
  seatTemplates: Record<string, { department?: string; roles?: Role[]; queues?: string[]; max?: number }>;
}
