import type { Platform } from '../core/model.js';

/** The validated configuration: parsed once at start (`loadConfig`), passed down from there. */
export interface Config {
  http: { port: number; host: string };
  dataDir: string;
  redisUrl: string | undefined;
  logLevel: string;
  bootstrapAdmins: { platform: Platform; userId: string }[];
  desk: { firstReplierClaims: boolean; notePrefixes: string[]; commandPrefix: string };
  queues: { name: string; department: string; slackChannel: string }[];
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
  whatsapp: { accessToken: string; appSecret: string; verifyToken: string; phoneNumberId: string; apiUrl: string } | undefined;
  api: { secret: string; sources: Record<string, { callbackUrl: string }> } | undefined;
  shutdownDrainMs: number;
}
