import type { Result } from '../../core/result.js';
import type { HandlerContext } from '../context.js';
import type { ParsedArgs } from '../parse-args.js';
import type { Preconditions } from '../preconditions.js';
import type { CommandSpec, SubcommandSpec } from './options.js';

/** What a command receives besides the context. */
export interface CommandInput {
  args: ParsedArgs;
  /** The raw text after the command name. */
  raw: string;
  /** Messenger user ids mentioned, in order. */
  mentions: string[];
  files: { name: string; read(): Promise<Buffer> }[];
}

/** What runs: a command, or one of its subcommands, with what it requires. */
export interface Runnable {
  /** Checked by `handleCommand` before `run`; a refusal is told and audited there. */
  requires?: Preconditions;
  run(ctx: HandlerContext, input: CommandInput): Promise<Result<unknown>>;
}

/** A subcommand: what it requires and runs, and its typed form. */
export type Subcommand = Runnable & SubcommandSpec;

/**
 * One command, the same on every messenger (SPEC §6): what it requires and
 * runs, and its typed form (`CommandSpec`), from which each messenger's
 * command list is derived (Discord's application commands, Telegram's
 * `setMyCommands`).
 */
export interface Command extends Runnable, CommandSpec {
  name: string;
  /** How to type it, shown when the arguments are wrong. */
  usage: string;
  /**
   * Takes longer than a messenger gives for an answer (Slack and Discord: 3 s).
   * Adapters acknowledge such a command at once and let it speak through a
   * follow-up (Slack's response_url, a deferred Discord reply); see
   * `isLongCommand`.
   */
  long?: boolean;
  /**
   * Subcommands by their first word (`seat add`, `seat list`…), each with its
   * own preconditions and typed form; any other first word runs the
   * command's own `run`.
   */
  subcommands?: Readonly<Record<string, Subcommand>>;
}
