import { ok } from '../../core/result.js';
import { en } from '../../i18n/en.js';
import { t } from '../../i18n/format.js';
import { aliasesOf } from '../../i18n/aliases.js';
import type { Command } from './types.js';

/** Whether the catalogues describe this command path (`seat.add.user`). */
export function hasCommandDescription(path: string): boolean {
  return Object.hasOwn(en, `command.${path}`);
}

/** The words of a command's (or subcommand's, or option's) description: `command.<name>[.<sub>][.<option>]`. */
export function commandDescription(lang: string, path: string, fallback: string): string {
  return hasCommandDescription(path) ? t(lang, `command.${path}` as 'command.claim') : fallback;
}

/**
 * `/help`: every command with what it does, in the reader's language, and the
 * Chinese words the thread commands also answer to (`!认领`…). `list` is the
 * command table (passed in: the table itself lists `help`).
 */
export function helpCommand(list: () => readonly Command[]): Command {
  return {
    name: 'help',
    usage: 'help',
    description: 'The commands and their Chinese aliases',
    example: '/help',
    async run(ctx) {
      const lines = list().map((c) => {
        const aliases = aliasesOf(c.name).map((a) => `!${a}`);
        return `• \`${c.usage}\` — ${commandDescription(ctx.lang, c.name, c.description)}${aliases.length ? ` (${aliases.join(', ')})` : ''}`;
      });
      const note = aliasesOf('note').map((a) => `!${a}`);
      await ctx.replyPrivately([t(ctx.lang, 'help.header'), ...lines, t(ctx.lang, 'help.notes', { aliases: note.join(', ') })].join('\n'));
      return ok(undefined);
    },
  };
}
