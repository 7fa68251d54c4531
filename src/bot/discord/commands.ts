import { ApplicationCommandOptionType, type RESTPutAPIApplicationGuildCommandsJSONBody } from 'discord.js';
import { COMMANDS } from '../../handlers/commands/index.js';
import { subcommandList, type CommandSpec, type OptionSpec } from '../../handlers/commands/options.js';
import { commandDescription, hasCommandDescription } from '../../handlers/commands/help.js';
import { LANGUAGES } from '../../i18n/languages.js';

/** Discord's locales (developers/reference "Locales"): a desk language is sent under its tag when Discord has it. */
const DISCORD_LOCALES: ReadonlySet<string> = new Set(['id', 'da', 'de', 'en-GB', 'en-US', 'es-ES', 'es-419', 'fr', 'hr', 'it', 'lt', 'hu', 'nl', 'no', 'pl', 'pt-BR', 'ro', 'fi', 'sv-SE', 'vi', 'tr', 'cs', 'el', 'bg', 'ru', 'uk', 'hi', 'th', 'zh-CN', 'ja', 'zh-TW', 'ko']);

/**
 * `description_localizations`: the description in every other language the
 * desk speaks (at most 100 characters each), when the catalogues have it
 * (`command.<path>`); none for a command they do not know yet.
 */
function localizations(path: string): { description_localizations?: Record<string, string> } {
  if (!hasCommandDescription(path)) return {};
  const entries = LANGUAGES
    .filter((l) => l.tag !== 'en' && DISCORD_LOCALES.has(l.tag))
    .map((l) => [l.tag, commandDescription(l.tag, path, '').slice(0, 100)]);
  return entries.length ? { description_localizations: Object.fromEntries(entries) } : {};
}

const OPTION_TYPES = {
  user: ApplicationCommandOptionType.User,
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  boolean: ApplicationCommandOptionType.Boolean,
  attachment: ApplicationCommandOptionType.Attachment,
} as const;

function optionJson(o: OptionSpec, path: string) {
  return {
    type: OPTION_TYPES[o.type],
    name: o.name,
    description: o.description,
    ...localizations(`${path}.${o.name}`),
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
    ...localizations(c.name),
    type: 1,
    options: c.subcommands
      ? subcommandList(c).map((s) => ({
        type: ApplicationCommandOptionType.Subcommand, name: s.name, description: s.description,
        ...localizations(`${c.name}.${s.name}`),
        options: s.options.map((o) => optionJson(o, `${c.name}.${s.name}`)),
      }))
      : (c.options ?? []).map((o) => optionJson(o, c.name)),
  })) as RESTPutAPIApplicationGuildCommandsJSONBody;
}

/** The typed form of the desk's command of this name (own names only: never `constructor` and the like). */
export function findCommand(name: string): CommandSpec | undefined {
  return Object.values(COMMANDS).find((c) => c.name === name);
}
