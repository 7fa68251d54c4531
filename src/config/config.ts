import type { ConfiguredChannel } from '../channels/channel-module.js';
import type { ConfiguredMessenger } from '../bot/messenger-module.js';
import type { Platform, Role } from '../core/model.js';
import type { Registry } from './registry.js';
import type { Lang } from '../i18n/languages.js';
import type { Assignment } from '../core/assignment/pick-seat.js';
import type { RoutingRule } from '../core/routing/route-queue.js';
import type { ServiceSettings } from '../core/service-settings.js';

/** The validated configuration: parsed once at start (`loadConfig`), passed down from there. */
export interface Config {
  /** `metricsToken`: when set, GET /metrics needs it as a bearer token. */
  http: { port: number; host: string; metricsToken?: string };
  dataDir: string;
  redisUrl: string | undefined;
  /** Key prefix in Redis, for the store and the shared rate limiters (`REDIS_PREFIX`, default `threaddesk:`). */
  redisPrefix: string;
  logLevel: string;
  bootstrapAdmins: { platform: Platform; userId: string }[];
  desk: { firstReplierClaims: boolean; notePrefixes: string[]; commandPrefix: string; language: Lang };
  /** Each queue is mirrored into one messenger's channel (Slack channel, Telegram supergroup, Discord channel). */
  queues: { name: string; department: string; messenger: Platform; channel: string; language?: Lang; assignment: Assignment; stickyDays: number; service: ServiceSettings }[];
  /** SPEC §7 routing: rules in order (first match wins), and the overload rebalancing thresholds. */
  routing: { rules: RoutingRule[]; overload: number; underload: number };
  /** The configured messengers by id, in the registry's order; each creates its adapter. */
  messengers: Readonly<Record<string, ConfiguredMessenger>>;
  /** The configured customer channels by id. */
  channels: Readonly<Record<string, ConfiguredChannel>>;
  /** Every module this build knows (configured or not): ids, budgets, reply windows, user id forms. */
  registry: Registry;
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
