import { subcommandList, type OptionSpec } from '../../handlers/commands/options.js';
import { findCommand } from './commands.js';

/** One option as Discord sends it in `data.options` (a subcommand nests its own). */
export interface RawOption {
  name: string;
  type: number;
  value?: string | number | boolean | undefined;
  options?: RawOption[] | undefined;
}

/** The parts of `data.resolved` the validation reads. */
export interface Resolved {
  users?: Record<string, { id: string; username: string; bot?: boolean | undefined }> | undefined;
  attachments?: Record<string, { filename: string; url: string; size: number }> | undefined;
}

/** Why a command's options cannot be used; `render.ts` turns it into words. */
export type OptionProblem =
  | { code: 'unknown_command'; command: string }
  | { code: 'missing_option'; command: string; option: string; example: string }
  | { code: 'exactly_one_of'; command: string; options: readonly string[]; example: string }
  | { code: 'unknown_user'; command: string; option: string; example: string }
  | { code: 'bot_user'; command: string; option: string; example: string }
  | { code: 'same_user'; command: string; example: string }
  | { code: 'out_of_range'; command: string; option: string; min: number; max: number; given: string; example: string }
  | { code: 'bad_choice'; command: string; option: string; choices: readonly string[]; given: string; example: string }
  | { code: 'bad_format'; command: string; option: string; hint: string; given: string; example: string }
  | { code: 'too_long'; command: string; option: string; max: number; example: string }
  | { code: 'bad_file'; command: string; option: string; example: string };

export interface CommandCall {
  name: string;
  /** The name with its subcommand (`seat add`), for messages. */
  label: string;
  /** The command text the handlers parse, as `!seat add @ana agent max=5` would give it. */
  args: string;
  /** Picked people, in the definition's order (handlers read mentions as user ids). */
  mentions: string[];
  attachments: { name: string; url: string; size: number }[];
}

export type ValidatedCommand = { ok: true; call: CommandCall } | { ok: false; problem: OptionProblem };

/**
 * Checks a slash command's options against its definition and turns them
 * into the neutral command: words, `name=value` options and mentions.
 *
 * Discord's own client enforces types, required options and ranges, but an
 * interaction may come from an outdated definition, another client or a
 * person who left the server: every rule is checked again here, and each
 * failure says what to type.
 */
export function validateCommand(name: string, options: readonly RawOption[] | undefined, resolved: Resolved | undefined): ValidatedCommand {
  const spec = findCommand(name);
  if (!spec) return { ok: false, problem: { code: 'unknown_command', command: name } };
  let given = options ?? [];
  let specs: readonly OptionSpec[] = spec.options ?? [];
  let label = spec.name;
  let example = spec.example;
  const head: string[] = [];
  if (spec.subcommands) {
    const subs = subcommandList(spec);
    const sub = given.find((o) => o.type === 1);
    const subSpec = sub && subs.find((s) => s.name === sub.name);
    if (!sub || !subSpec) return { ok: false, problem: { code: 'missing_option', command: spec.name, option: subs.map((s) => s.name).join(' | '), example: spec.example } };
    given = sub.options ?? [];
    specs = subSpec.options;
    label = `${spec.name} ${subSpec.name}`;
    example = subSpec.example;
    head.push(subSpec.name);
  }
  const valueOf = (n: string) => {
    const v = given.find((g) => g.name === n)?.value;
    return v === undefined || v === '' ? undefined : v;
  };
  const mentions: string[] = [];
  const words: string[] = [];
  const named: string[] = [];
  const attachments: CommandCall['attachments'] = [];
  for (const o of specs) {
    const value = valueOf(o.name);
    if (value === undefined) {
      if (o.required) return { ok: false, problem: { code: 'missing_option', command: label, option: o.name, example } };
      continue;
    }
    if (o.needs && valueOf(o.needs) === undefined) return { ok: false, problem: { code: 'missing_option', command: label, option: o.needs, example } };
    const where = { command: label, option: o.name, example };
    switch (o.type) {
      case 'user': {
        const id = String(value);
        const user = resolved?.users?.[id];
        if (!/^\d{5,20}$/.test(id) || !user) return { ok: false, problem: { code: 'unknown_user', ...where } };
        if (user.bot) return { ok: false, problem: { code: 'bot_user', ...where } };
        mentions.push(id);
        break;
      }
      case 'attachment': {
        const file = resolved?.attachments?.[String(value)];
        if (!file) return { ok: false, problem: { code: 'bad_file', ...where } };
        attachments.push({ name: file.filename, url: file.url, size: file.size });
        break;
      }
      case 'boolean':
        if (value === true && o.word) words.push(o.word);
        break;
      case 'integer': {
        const n = typeof value === 'number' ? value : Number(value);
        const min = o.min ?? Number.MIN_SAFE_INTEGER;
        const max = o.max ?? Number.MAX_SAFE_INTEGER;
        if (!Number.isInteger(n) || n < min || n > max) return { ok: false, problem: { code: 'out_of_range', ...where, min, max, given: String(value) } };
        if (o.named) named.push(`${o.name}=${n}`);
        else words.push(String(n));
        break;
      }
      case 'string': {
        const s = String(value).trim();
        if (o.choices && !o.choices.includes(s)) return { ok: false, problem: { code: 'bad_choice', ...where, choices: o.choices, given: s } };
        if (o.maxLength !== undefined && s.length > o.maxLength) return { ok: false, problem: { code: 'too_long', ...where, max: o.maxLength } };
        if (o.pattern && !o.pattern.regex.test(s)) return { ok: false, problem: { code: 'bad_format', ...where, hint: o.pattern.hint, given: s } };
        // Quoted so that spaces and `=` stay one value for the handlers' parser.
        const text = /[\s"=]/.test(s) && o.named ? `"${s.replace(/"/g, "'")}"` : s;
        if (o.named) named.push(`${o.name}=${text}`);
        else if (o.word) words.push(o.word, text);
        else words.push(text);
        break;
      }
    }
  }
  if (spec.exactlyOne && spec.exactlyOne.filter((n) => valueOf(n) !== undefined).length !== 1) {
    return { ok: false, problem: { code: 'exactly_one_of', command: label, options: spec.exactlyOne, example } };
  }
  if (new Set(mentions).size !== mentions.length) return { ok: false, problem: { code: 'same_user', command: label, example } };
  // Subcommand, then words, then `name=value`; people travel as mentions (SPEC §6 forms such as `/escalate @a @b reason`).
  const args = [...head, ...words, ...named].join(' ');
  return { ok: true, call: { name: spec.name, label, args, mentions, attachments } };
}
