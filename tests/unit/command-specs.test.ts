import { describe, expect, it } from 'vitest';
import { ok } from '../../src/core/result.js';
import { COMMANDS } from '../../src/handlers/commands/index.js';
import { subcommandList, type OptionSpec } from '../../src/handlers/commands/options.js';
import type { Command } from '../../src/handlers/commands/types.js';
import { commandsBody, findCommand } from '../../src/bot/discord/commands.js';
import { BOT_COMMANDS, botCommands, localizedBotCommands } from '../../src/bot/telegram/commands.js';
import { en } from '../../src/i18n/en.js';
import { t } from '../../src/i18n/format.js';

type DiscordOption = { type: number; name: string; description: string; required?: boolean; options?: DiscordOption[] };
type DiscordCommand = { name: string; description: string; options: DiscordOption[] };

const commands = Object.values(COMMANDS);
const discord = (list?: readonly Command[]) => commandsBody(list) as unknown as DiscordCommand[];

/** Every list of options a messenger shows: a command's own, or each subcommand's. */
const optionLists = (c: Command): readonly (readonly OptionSpec[])[] => (c.subcommands ? subcommandList(c).map((s) => s.options) : [c.options ?? []]);

describe('the neutral command table', () => {
  it('gives every command and subcommand a description and an example', () => {
    for (const c of commands) {
      expect(c.description, c.name).toMatch(/\S/);
      expect(c.example, c.name).toMatch(new RegExp(`^/${c.name}\\b`));
      for (const s of subcommandList(c)) {
        expect(s.description, `${c.name} ${s.name}`).toMatch(/\S/);
        expect(s.example, `${c.name} ${s.name}`).toMatch(new RegExp(`^/${c.name} ${s.name}\\b`));
      }
    }
  });

  it('lists required options before optional ones, as Discord requires', () => {
    for (const c of commands) {
      for (const list of optionLists(c)) {
        const firstOptional = list.findIndex((o) => !o.required);
        expect(list.slice(firstOptional < 0 ? list.length : firstOptional).filter((o) => o.required).map((o) => o.name), c.name).toEqual([]);
      }
    }
  });
});

describe('the messengers\' command lists', () => {
  it('renders every neutral command on Discord, in order, with its description and options', () => {
    const body = discord();
    expect(body.map((c) => c.name)).toEqual(commands.map((c) => c.name));
    for (const [i, c] of commands.entries()) {
      expect(body[i]!.description).toBe(c.description);
      if (c.subcommands) {
        expect(body[i]!.options.map((o) => [o.type, o.name, o.description])).toEqual(subcommandList(c).map((s) => [1, s.name, s.description]));
        expect(body[i]!.options.map((o) => o.options!.map((x) => x.name))).toEqual(optionLists(c).map((l) => l.map((o) => o.name)));
      } else {
        expect(body[i]!.options.map((o) => [o.name, o.description, o.required])).toEqual((c.options ?? []).map((o) => [o.name, o.description, Boolean(o.required)]));
      }
      expect(findCommand(c.name)).toBe(c);
    }
    expect(findCommand('constructor')).toBeUndefined();
  });

  it('lists every neutral command for Telegram\'s setMyCommands with its usage', () => {
    expect(BOT_COMMANDS).toEqual(commands.map((c) => ({ command: c.name, description: c.usage })));
  });

  it('derives both from the table: a command added to a copy shows up in both, a name Telegram refuses only on Discord', () => {
    const added: Command = {
      name: 'snooze', usage: 'snooze <minutes>', description: 'Hide this conversation for a while', example: '/snooze minutes:30',
      options: [{ name: 'minutes', description: 'How long', type: 'integer', required: true, min: 1, max: 1440 }],
      run: async () => ok(undefined),
    };
    const dashed: Command = { ...added, name: 'snooze-all', usage: 'snooze-all' };
    const table = [...commands, added, dashed];
    expect(discord(table).slice(-2)).toEqual([
      { name: 'snooze', description: 'Hide this conversation for a while', type: 1, options: [{ type: 4, name: 'minutes', description: 'How long', required: true, min_value: 1, max_value: 1440 }] },
      { name: 'snooze-all', description: 'Hide this conversation for a while', type: 1, options: [{ type: 4, name: 'minutes', description: 'How long', required: true, min_value: 1, max_value: 1440 }] },
    ]);
    expect(botCommands(table).at(-1)).toEqual({ command: 'snooze', description: 'snooze <minutes>' });
    expect(botCommands(table)).toHaveLength(commands.length + 1);
  });
});

describe('the command lists in every language the desk speaks', () => {
  /** Every described path of the table: `seat`, `seat.add`, `seat.add.user`… with its English description. */
  const paths = commands.flatMap((c) => [
    [c.name, c.description] as const,
    ...(c.options ?? []).map((o) => [`${c.name}.${o.name}`, o.description] as const),
    ...subcommandList(c).flatMap((s) => [[`${c.name}.${s.name}`, s.description] as const, ...s.options.map((o) => [`${c.name}.${s.name}.${o.name}`, o.description] as const)]),
  ]);

  it('has every command, subcommand and option description in the catalogues, the English one word for word', () => {
    for (const [path, description] of paths) expect(en[`command.${path}` as keyof typeof en], path).toBe(description);
  });

  it('gives Discord a zh-CN description_localization of at most 100 characters on every command, subcommand and option', () => {
    type Localized = { name: string; description_localizations?: Record<string, string>; options?: Localized[] };
    const body = commandsBody() as unknown as Localized[];
    const seen: string[] = [];
    const walk = (o: Localized, path: string) => {
      const zh = o.description_localizations?.['zh-CN'];
      expect(zh, path).toBe(t('zh-CN', `command.${path}` as 'command.claim'));
      expect(zh!.length, path).toBeLessThanOrEqual(100);
      seen.push(path);
      for (const child of o.options ?? []) walk(child, `${path}.${child.name}`);
    };
    for (const c of body) walk(c, c.name);
    expect(seen.sort()).toEqual(paths.map(([p]) => p).sort());
  });

  it('gives Telegram a second setMyCommands list for language_code zh: the usage, then the Chinese description', () => {
    const [zh, ...others] = localizedBotCommands();
    expect(others).toEqual([]);
    expect(zh!.languageCode).toBe('zh');
    expect(zh!.commands.map((c) => c.command)).toEqual(BOT_COMMANDS.map((c) => c.command));
    expect(zh!.commands.find((c) => c.command === 'claim')).toEqual({ command: 'claim', description: `claim (in a conversation's thread, or the header's button) — 认领本话题中的会话` });
  });
});
