import type { z } from 'zod';
import type { Budget } from '../core/outbox/budgets.js';
import type { AdapterContext, MessengerAdapter } from './messenger-adapter.js';
import type { DoctorContext, Finding } from '../doctor/finding.js';

/** A module's environment variables: each name with its schema. */
export type EnvShape = Readonly<Record<string, z.ZodType>>;

/** Environment variables as a module reads them. */
export interface EnvInput<E extends EnvShape> {
  /** The variables given at all (empty values count as unset), to tell "not meant to be on" from "half configured". */
  given: Readonly<Record<string, string | undefined>>;
  /** The module's variables parsed by its `env` schema; a bad value is reported already and reads as undefined here. */
  values: Partial<z.infer<z.ZodObject<E>>>;
}

/**
 * A messenger agents work in, as one module (`src/bot/<messenger>/module.ts`):
 * everything the config loader, the composition root, BOOTSTRAP_ADMINS and seat
 * import need to know about it, so none of them names a platform. A fourth
 * messenger is one folder and one line in `src/modules.ts`.
 */
export interface MessengerModule<S, E extends EnvShape> {
  /** Stable id: in seat ids, BOOTSTRAP_ADMINS (`<id>:<user>`), queue `messenger:` and outbox items. */
  readonly id: string;
  /** How people write its name. */
  readonly label: string;
  /** Its environment variables (SPEC §4), each parsed on its own so one bad value hides no other problem. */
  readonly env: E;
  /** What to do about a bad value of one of its variables, beyond zod's message. */
  readonly envFixes?: Readonly<Record<string, string>>;
  /** How to turn it on, said when no messenger is configured ("Set … and …"). */
  readonly howToEnable: string;
  /** Its settings, or problems when it is meant to be on (`mentioned`) but incomplete. */
  read(env: EnvInput<E>, problems: string[]): { mentioned: boolean; settings?: S };
  /** A queue's own channel in the YAML (`queues[].<key>`), and the default channel of its settings. */
  readonly queueChannel: { key: string; schema: z.ZodString; defaultOf(settings: S): string };
  /** A user id as BOOTSTRAP_ADMINS and seat import write it after `<id>:`, and where to find one. */
  readonly userIds: { pattern: RegExp; example: string };
  /** Its send budgets by destination class (`<id>:<class>`), see core/outbox/budgets.ts. */
  readonly budgets: Readonly<Record<string, Budget>>;
  /** Where its own state lives in the shared store (default `<id>:`). */
  readonly statePrefix?: string;
  /**
   * Builds the adapter. A module whose SDK is heavy loads it here, with a
   * dynamic import of its adapter (its other imports stay free of the SDK), so
   * a messenger that is not configured costs no start-up time or memory.
   */
  create(settings: S, ctx: AdapterContext): MessengerAdapter | Promise<MessengerAdapter>;
  /** `threaddesk doctor`: checks the settings against the platform (token, rights, channels) and says what to fix. */
  readonly doctor?: (settings: S, ctx: DoctorContext) => Promise<Finding[]>;
  /** `threaddesk setup <id>`: the setup facts generated from the code (Slack's app manifest, Discord's invite URL). */
  readonly setup?: (args: readonly string[], env: Readonly<Record<string, string | undefined>>) => SetupOutput | Promise<SetupOutput>;
}

/** What `threaddesk setup <id>` prints: the generated text (stdout) and what to do with it (stderr). */
export interface SetupOutput { text: string; next?: string }

/** A messenger module with its types bound, as registries and the config hold it. */
export interface RegisteredMessenger {
  readonly id: string;
  readonly label: string;
  readonly env: EnvShape;
  readonly envFixes: Readonly<Record<string, string>>;
  readonly howToEnable: string;
  readonly queueChannel: { key: string; schema: z.ZodString };
  readonly userIds: { pattern: RegExp; example: string };
  readonly budgets: Readonly<Record<string, Budget>>;
  readonly statePrefix: string;
  readonly setup: ((args: readonly string[], env: Readonly<Record<string, string | undefined>>) => SetupOutput | Promise<SetupOutput>) | undefined;
  read(given: Readonly<Record<string, string | undefined>>, values: Readonly<Record<string, unknown>>, problems: string[]): { mentioned: boolean; configured?: ConfiguredMessenger };
}

/** A messenger whose settings were read: ready to be created by the composition root. */
export interface ConfiguredMessenger {
  readonly id: string;
  /** The parsed settings (shown by tests and diagnostics; only the module knows their shape). */
  readonly settings: unknown;
  /** The default queue's channel (Slack channel, Telegram supergroup, Discord channel). */
  readonly defaultChannel: string;
  /** Where its own state lives in the shared store. */
  readonly statePrefix: string;
  /** Builds the adapter (SDK client, routes, deliverer) with the shared context, loading the SDK first. */
  create(ctx: AdapterContext): Promise<MessengerAdapter>;
  /** Checks the settings against the platform, when the module can (`threaddesk doctor`). */
  readonly doctor?: (ctx: DoctorContext) => Promise<Finding[]>;
}

/** Binds a module's types: its `read` sees its own variables, its `create` its own settings. */
export function defineMessenger<S, E extends EnvShape>(m: MessengerModule<S, E>): RegisteredMessenger {
  return {
    id: m.id, label: m.label, env: m.env, envFixes: m.envFixes ?? {}, howToEnable: m.howToEnable,
    queueChannel: { key: m.queueChannel.key, schema: m.queueChannel.schema },
    userIds: m.userIds, budgets: m.budgets, statePrefix: m.statePrefix ?? `${m.id}:`, setup: m.setup,
    read(given, values, problems) {
      const doctor = m.doctor;
      const statePrefix = m.statePrefix ?? `${m.id}:`;
      const own: Partial<z.infer<z.ZodObject<E>>> = Object.fromEntries(Object.keys(m.env).map((k) => [k, values[k]])) as Partial<z.infer<z.ZodObject<E>>>;
      const { mentioned, settings } = m.read({ given, values: own }, problems);
      if (settings === undefined) return { mentioned };
      return {
        mentioned,
        configured: {
          id: m.id, settings, statePrefix, defaultChannel: m.queueChannel.defaultOf(settings), create: async (ctx) => m.create(settings, ctx),
          ...(doctor ? { doctor: (ctx: DoctorContext) => doctor(settings, ctx) } : {}),
        },
      };
    },
  };
}
