import type { BotCommand } from 'grammy/types';
import { COMMANDS } from '../../handlers/commands/index.js';
import type { Command } from '../../handlers/commands/types.js';

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
