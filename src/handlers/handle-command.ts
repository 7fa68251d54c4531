import type { FailureCode, Result } from '../core/result.js';
import type { HandlerContext } from './context.js';
import { describeFailure } from './describe-failure.js';
import { parseArgs } from './parse-args.js';
import { COMMANDS } from './commands/index.js';
import { actorKey } from './commands/lookup.js';
import type { Command, CommandInput, Runnable } from './commands/types.js';
import { checkPreconditions } from './preconditions-check.js';
import { ownValue } from '../core/own-property.js';

/** Failures that are a refusal of who asked (audited), not a mistake in what they typed. */
const DENIALS: ReadonlySet<FailureCode> = new Set(['not_a_seat', 'seat_disabled', 'permission_denied', 'outside_department', 'last_admin', 'not_claimer']);

/**
 * Runs a command by name, from a slash command, an in-thread `!command` or a
 * button alike: its declared preconditions are checked first, here and only
 * here; refusals (of a precondition or of the command itself) are told
 * privately (in words from describeFailure) and every denial goes into the
 * audit log.
 */
export async function handleCommand(
  ctx: HandlerContext,
  name: string,
  raw: string,
  mentions: readonly string[] = [],
  files: { name: string; read(): Promise<Buffer> }[] = [],
): Promise<Result<unknown>> {
  const command = ownValue(COMMANDS, name);
  if (!command) {
    const failure = { code: 'unknown_command' as const, detail: { command: name } };
    await ctx.replyPrivately(describeFailure(failure, { lang: ctx.lang }));
    return { ok: false, failure };
  }
  const input: CommandInput = { args: parseArgs(raw), raw, mentions: [...mentions], files };
  const runnable = runnableOf(command, input);
  const checked = checkPreconditions(ctx, name, runnable.requires, input);
  const result = checked.ok ? await runnable.run(ctx, input) : checked;
  if (result.ok) return result;
  await ctx.replyPrivately(describeFailure(result.failure, { lang: ctx.lang }));
  if (DENIALS.has(result.failure.code)) {
    const target = ctx.conversation?.id ?? (mentions[0] ? `${ctx.actor.platform}:${mentions[0]}` : '');
    await ctx.desk.audit(actorKey(ctx), `command.${name}`, target, undefined, undefined, 'denied', result.failure.code);
  }
  return result;
}

/** The subcommand named by the first word, or the command itself. */
function runnableOf(command: Command, input: CommandInput): Runnable {
  const first = input.args.words[0]?.toLowerCase();
  return (command.subcommands && first !== undefined ? ownValue(command.subcommands, first) : undefined) ?? command;
}

/**
 * Whether the command of this name is long (`Command.long`): the adapter
 * acknowledges it at once and takes its words as follow-ups instead of
 * holding the platform's answer until it is done.
 */
export function isLongCommand(name: string): boolean {
  return ownValue(COMMANDS, name)?.long === true;
}
