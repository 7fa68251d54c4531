import { ROLES } from '../../core/seat-admin.js';
import { LANGUAGE_TAGS } from '../../i18n/languages.js';

/**
 * One typed option of a command, as data. Messengers with typed commands
 * (Discord's application commands) render it; the adapter checks it again on
 * arrival and turns it into the words the handlers parse.
 */
export interface OptionSpec {
  name: string;
  description: string;
  type: 'user' | 'string' | 'integer' | 'boolean' | 'attachment';
  required?: boolean;
  /** Allowed values of a string option (Discord shows them as a picker). */
  choices?: readonly string[];
  /** Range of an integer option. */
  min?: number;
  max?: number;
  /** Longest accepted string. */
  maxLength?: number;
  /** A string option's form, and how to say it (a message key: `hint.date`). */
  pattern?: { regex: RegExp; hint: string };
  /** Written as `name=value` in the command text (otherwise as a plain word). */
  named?: boolean;
  /** Written as `word value` (`ack a1b2c3`); a boolean option set to true is written as this word alone. */
  word?: string;
  /** Only meaningful together with this other option. */
  needs?: string;
}

/** A subcommand's typed form; its name is its key in `CommandSpec.subcommands`. */
export interface SubcommandSpec {
  /** At most 100 characters (Discord's limit). */
  description: string;
  options: readonly OptionSpec[];
  /** What to type, shown when an option is wrong. */
  example: string;
}

/**
 * The typed form of a command: its options, or subcommands each with options.
 * Messengers require required options before optional ones (Discord refuses
 * the registration otherwise): list them so.
 */
export interface CommandSpec {
  name: string;
  /** At most 100 characters (Discord's limit). */
  description: string;
  options?: readonly OptionSpec[];
  /** By name, in the order messengers show them. */
  subcommands?: Readonly<Record<string, SubcommandSpec>>;
  /** What to type, shown when an option is wrong (slash-command form: `/transfer user:@ana`). */
  example: string;
  /** Exactly one of these options must be given. */
  exactlyOne?: readonly string[];
}

export interface NamedSubcommand extends SubcommandSpec { name: string }

/** A command's subcommands as a list in their order, each with its name. */
export function subcommandList(spec: CommandSpec): NamedSubcommand[] {
  return Object.entries(spec.subcommands ?? {}).map(([name, s]) => ({ name, description: s.description, options: s.options, example: s.example }));
}

export const DATE = { regex: /^\d{4}-\d{2}-\d{2}$/, hint: 'hint.date' };

/** A person picked from the messenger's members. */
export const person = (name: string, description: string, required: boolean): OptionSpec => ({ name, description, type: 'user', required });

/** Why a conversation moves (transfer, escalate). */
export const reason = (required: boolean): OptionSpec => ({ name: 'reason', description: 'Why (the colleague sees it)', type: 'string', required, maxLength: 200 });

/** A role, one of the desk's. */
export const roleOption = (description: string, named: boolean): OptionSpec => ({ name: 'role', description, type: 'string', choices: ROLES, named });

/** A language the desk speaks (`en`, `zh-CN`); `named`: written `lang=zh-CN`. */
export const languageOption = (description: string, required: boolean, named: boolean): OptionSpec => ({ name: 'lang', description, type: 'string', required, choices: LANGUAGE_TAGS, named });

/** A queue's name. */
export const queueOption = (description: string, named: boolean): OptionSpec => ({ name: 'queue', description, type: 'string', maxLength: 64, named });
