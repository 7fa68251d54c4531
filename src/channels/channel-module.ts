import type { z } from 'zod';
import type { Desk } from '../core/desk.js';
import type { Attachment, Conversation } from '../core/model.js';
import type { Budget } from '../core/outbox/budgets.js';
import type { EnvShape } from '../bot/messenger-module.js';
import type { CarriedChannel } from '../bot/messenger-adapter.js';
import type { Deliverer } from '../core/outbox/deliverer.js';
import type { StorePort } from '../core/ports.js';
import type { Failure } from '../core/result.js';
import type { FileLimits } from '../core/files/file-limits.js';
import type { AgentFileFetcher } from '../core/files/agent-file-stream.js';
import type { SecurityMonitor } from '../core/security/security-monitor.js';
import type { TypingSink } from '../core/typing-relay.js';
import type { Route, UpgradeRoute } from '../http/types.js';
import type { Logger } from '../runtime/logger.js';
import type { Metrics } from '../runtime/metrics.js';
import type { DoctorContext, Finding } from '../doctor/finding.js';

/** What a channel reads its settings from. */
export interface ChannelInput<E extends EnvShape> {
  /** The variables given at all (empty values count as unset). */
  given: Readonly<Record<string, string | undefined>>;
  /** The channel's variables parsed by its `env` schema; a bad value is reported already and reads as undefined. */
  values: Partial<z.infer<z.ZodObject<E>>>;
  /** The YAML file, parsed (defaults where it was bad), and its name for messages. */
  file: { api: { sources: Readonly<Record<string, { callback_url: string }>> } };
  configFile: string;
}

/** What every channel gets from the composition root. */
export interface ChannelContext {
  desk: Desk;
  store: StorePort;
  log: Logger;
  metrics: Metrics;
  /** Security events from outside (the API's `/api/security-events`). */
  monitor: SecurityMonitor;
  /** A reply the platform accepted but failed later (a status webhook): told to the thread. */
  reportSendFailure: (convId: string, failure: Failure) => Promise<void>;
  /** Streams an agent's file from the messenger that holds it (for replies with files). */
  fetchAgentFile: AgentFileFetcher;
}

/** What a running channel hands the composition root. */
export interface ChannelParts {
  routes: Route[];
  /** Paths that take WebSocket upgrades on the one HTTP server (web chat's live socket). */
  upgrades?: UpgradeRoute[];
  /** Its sends to customers; absent when another module delivers for it (Telegram's bot is the messenger's). */
  deliverer?: Deliverer;
  /** Its customers write to a messenger's own bot, which hands them over and sends for it (Telegram's private chats). */
  carried?: CarriedChannel;
  /** Downloads a customer's media for a messenger to upload into the thread. */
  fetchMedia?: (conv: Conversation, attachment: Attachment) => Promise<{ bytes: Buffer; fileName: string } | undefined>;
  /** Shows the customer that an agent is typing (web chat); absent where the channel cannot show it. */
  showTyping?: TypingSink;
  /** At shutdown, before the server closes: closes what the channel holds open (web chat's sockets) and stops its background work (WeChat's pulls), waiting for it, so nothing runs once the store closes. */
  stop?: () => Promise<void>;
}

/**
 * A customer channel as one module (`src/channels/<channel>/module.ts`): its
 * variables, how it is read, its routes and deliverer, its reply window and
 * text limit, so the config loader and the composition root name none.
 */
export interface ChannelModule<S, E extends EnvShape> {
  readonly id: string;
  /** How the header card and people name it. */
  readonly label: string;
  /** The header adds the account to the label (`API (crm)`): one door for many systems. */
  readonly labelWithAccount?: boolean;
  readonly env: E;
  readonly envFixes?: Readonly<Record<string, string>>;
  /** How to turn it on, said when no customer channel is configured; absent for channels that ride on a messenger. */
  readonly howToEnable?: string;
  read(input: ChannelInput<E>, problems: string[]): { mentioned: boolean; settings?: S };
  /** How long after the customer's last message an agent may answer freely (SPEC §2); absent: no window. */
  readonly replyWindowMs?: number;
  /** Its deliverer carries an agent's edit or delete of a sent reply (`customer.change`) to the customer. */
  readonly changesReplies?: boolean;
  /** The longest text one message may carry; longer replies are split. */
  readonly textLimit: number;
  /** The files agents may send its customers, checked before a reply is queued; absent: none. */
  readonly fileLimits?: FileLimits;
  readonly budgets: Readonly<Record<string, Budget>>;
  create(settings: S, ctx: ChannelContext): ChannelParts;
  /** `threaddesk doctor`: checks the settings against the platform and says what to fix. */
  readonly doctor?: (settings: S, ctx: DoctorContext) => Promise<Finding[]>;
}

/** A channel module with its types bound, as registries and the config hold it. */
export interface RegisteredChannel {
  readonly id: string;
  readonly label: string;
  readonly labelWithAccount: boolean;
  readonly env: EnvShape;
  readonly envFixes: Readonly<Record<string, string>>;
  readonly howToEnable: string | undefined;
  readonly replyWindowMs: number | undefined;
  readonly changesReplies: boolean;
  readonly textLimit: number;
  readonly fileLimits: FileLimits | undefined;
  readonly budgets: Readonly<Record<string, Budget>>;
  read(input: ChannelInput<EnvShape>, problems: string[]): { mentioned: boolean; configured?: ConfiguredChannel };
}

/** A channel whose settings were read: ready to be created by the composition root. */
export interface ConfiguredChannel {
  readonly id: string;
  readonly settings: unknown;
  create(ctx: ChannelContext): ChannelParts;
  readonly doctor?: (ctx: DoctorContext) => Promise<Finding[]>;
}

/** Binds a channel module's types: its `read` sees its own variables, its `create` its own settings. */
export function defineChannel<S, E extends EnvShape>(m: ChannelModule<S, E>): RegisteredChannel {
  return {
    id: m.id, label: m.label, labelWithAccount: m.labelWithAccount ?? false, env: m.env, envFixes: m.envFixes ?? {}, howToEnable: m.howToEnable,
    replyWindowMs: m.replyWindowMs, changesReplies: m.changesReplies ?? false, textLimit: m.textLimit, fileLimits: m.fileLimits, budgets: m.budgets,
    read(input, problems) {
      const doctor = m.doctor;
      const values: Partial<z.infer<z.ZodObject<E>>> = Object.fromEntries(Object.keys(m.env).map((k) => [k, input.values[k]])) as Partial<z.infer<z.ZodObject<E>>>;
      const { mentioned, settings } = m.read({ ...input, values }, problems);
      if (settings === undefined) return { mentioned };
      return {
        mentioned,
        configured: { id: m.id, settings, create: (ctx) => m.create(settings, ctx), ...(doctor ? { doctor: (ctx: DoctorContext) => doctor(settings, ctx) } : {}) },
      };
    },
  };
}
