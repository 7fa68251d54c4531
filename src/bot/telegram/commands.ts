import type { BotCommand } from 'grammy/types';
import { COMMANDS } from '../../handlers/commands/index.js';
import type { Command } from '../../handlers/commands/types.js';
import { commandDescription, hasCommandDescription } from '../../handlers/commands/help.js';
import { LANGUAGES } from '../../i18n/languages.js';

/**
 * What `setMyCommands` shows agents: every command of the desk (SPEC §6),
 * derived from the handlers' table, with its usage as the description
 * (Telegram: names of 1–32 characters `[a-z0-9_]`, descriptions of 1–256;
 * a name outside that form is left out rather than failing the whole call).
 */
export function botCommands(commands: readonly Pick<Command, 'name' | 'usage'>[] = Object.values(COMMANDS)): BotCommand[] {
  return commands
    .filter((c) => /^[a-z0-9_]{1,32}$/.test(c.name))
    .map((c) => ({ command: c.name, description: c.usage.slice(0, 256) }));
}

export const BOT_COMMANDS: readonly BotCommand[] = botCommands();

/**
 * The same list for clients in another language the desk speaks:
 * `setMyCommands` with `language_code`, a two-letter ISO 639-1 code (`zh`),
 * shown to users whose client language has it. The usage stays (command
 * words are ASCII) and the description follows it.
 */
export function localizedBotCommands(commands: readonly Pick<Command, 'name' | 'usage' | 'description'>[] = Object.values(COMMANDS)): { languageCode: string; commands: BotCommand[] }[] {
  return LANGUAGES.filter((l) => l.tag !== 'en').map((l) => ({
    languageCode: l.tag.slice(0, 2).toLowerCase(),
    commands: botCommands(commands).map((b) => {
      const c = commands.find((x) => x.name === b.command)!;
      return { command: b.command, description: hasCommandDescription(c.name) ? `${c.usage} — ${commandDescription(l.tag, c.name, c.description)}`.slice(0, 256) : b.description };
    }),
  }));
}
