import { ApplicationCommandOptionType, type RESTPutAPIApplicationGuildCommandsJSONBody } from 'discord.js';
import { COMMANDS } from '../../handlers/commands/index.js';
import { subcommandList, type CommandSpec, type OptionSpec } from '../../handlers/commands/options.js';

const OPTION_TYPES = {
  user: ApplicationCommandOptionType.User,
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  boolean: ApplicationCommandOptionType.Boolean,
  attachment: ApplicationCommandOptionType.Attachment,
} as const;

function optionJson(o: OptionSpec) {
  return {
    type: OPTION_TYPES[o.type],
    name: o.name,
    description: o.description,
    required: Boolean(o.required),
    ...(o.choices ? { choices: o.choices.map((c) => ({ name: c, value: c })) } : {}),
    ...(o.min !== undefined ? { min_value: o.min } : {}),
    ...(o.max !== undefined ? { max_value: o.max } : {}),
    ...(o.maxLength !== undefined ? { max_length: o.maxLength } : {}),
  };
}

/**
 * The body of `PUT /applications/{app}/guilds/{guild}/commands` (bulk
 * overwrite, effective at once): the desk's commands (SPEC §6) as guild
 * application commands, rendered from their typed form in the handlers. The
 * same names and arguments as `!claim`, Slack and Telegram, but typed (a
 * person is picked from the server, a role chosen from a list) instead of
 * free text, so on Discord they also work inside threads and need no person
 * picker. Discord requires required options before optional ones.
 */
export function commandsBody(commands: readonly CommandSpec[] = Object.values(COMMANDS)): RESTPutAPIApplicationGuildCommandsJSONBody {
  return commands.map((c) => ({
    name: c.name,
    description: c.description,
    type: 1,
    options: c.subcommands
      ? subcommandList(c).map((s) => ({ type: ApplicationCommandOptionType.Subcommand, name: s.name, description: s.description, options: s.options.map(optionJson) }))
      : (c.options ?? []).map(optionJson),
  })) as RESTPutAPIApplicationGuildCommandsJSONBody;
}

/** The typed form of the desk's command of this name (own names only: never `constructor` and the like). */
export function findCommand(name: string): CommandSpec | undefined {
  return Object.values(COMMANDS).find((c) => c.name === name);
}
