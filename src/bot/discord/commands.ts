import { ApplicationCommandOptionType, type RESTPutAPIApplicationGuildCommandsJSONBody } from 'discord.js';

/** One typed option of an application command, as data (Discord enforces the type, the adapter checks the rest again). */
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
  /** A string option's form, and how to say it. */
  pattern?: { regex: RegExp; hint: string };
  /** Written as `name=value` in the command text (otherwise as a plain word). */
  named?: boolean;
  /** Written as `word value` (`ack a1b2c3`); a boolean option set to true is written as this word alone. */
  word?: string;
  /** Only meaningful together with this other option. */
  needs?: string;
}

export interface SubcommandSpec { name: string; description: string; options: readonly OptionSpec[]; example: string }

/** A slash command: its options, or subcommands each with options. */
export interface CommandSpec {
  name: string;
  description: string;
  options?: readonly OptionSpec[];
  subcommands?: readonly SubcommandSpec[];
  /** What to type, shown when an option is wrong. */
  example: string;
  /** Exactly one of these options must be given. */
  exactlyOne?: readonly string[];
}

const ROLES = ['admin', 'supervisor', 'lead', 'agent', 'security'] as const;
const DATE = { regex: /^\d{4}-\d{2}-\d{2}$/, hint: 'a date like 2026-11-01' };
const person = (name: string, description: string, required: boolean): OptionSpec => ({ name, description, type: 'user', required });
const reason = (required: boolean): OptionSpec => ({ name: 'reason', description: 'Why (the colleague sees it)', type: 'string', required, maxLength: 200 });
const grant: readonly OptionSpec[] = [
  person('user', 'The person', true),
  { name: 'role', description: 'A role (give a role or a queue)', type: 'string', choices: ROLES, named: true },
  { name: 'queue', description: 'A queue (give a role or a queue)', type: 'string', maxLength: 64, named: true },
];

/**
 * The desk's commands (SPEC §6) as guild application commands: the same
 * names and arguments as `!claim`, Slack and Telegram, but typed (a person is
 * picked from the server, a role chosen from a list) instead of free text,
 * so on Discord they also work inside threads and need no person picker.
 * Discord requires required options before optional ones.
 */
export const COMMANDS: readonly CommandSpec[] = [
  { name: 'claim', description: 'Take the conversation of this thread', example: '/claim' },
  { name: 'release', description: 'Give the conversation of this thread back to the queue', example: '/release' },
  { name: 'close', description: 'Close the conversation of this thread', example: '/close' },
  { name: 'reopen', description: 'Open the conversation of this thread again', example: '/reopen' },
  {
    name: 'transfer', description: 'Hand the conversation of this thread to a colleague',
    options: [person('user', 'Who takes it over', true), reason(false)],
    example: '/transfer user:@ana reason:going off shift',
  },
  {
    name: 'escalate', description: 'Call at most two colleagues into this conversation',
    options: [person('first', 'A colleague', true), reason(true), person('second', 'Another colleague', false)],
    example: '/escalate first:@ana reason:customer threatens to cancel',
  },
  {
    name: 'status', description: 'Whether you get new conversations',
    options: [{ name: 'state', description: 'online, away or paused (keep your chats, get no new ones)', type: 'string', required: true, choices: ['online', 'away', 'paused'] }],
    example: '/status state:online',
  },
  {
    name: 'seat', description: 'Manage seats (agent accounts)', example: '/seat add user:@ana role:agent',
    subcommands: [
      {
        name: 'add', description: 'Create or re-enable a seat', example: '/seat add user:@ana role:agent max:10',
        options: [
          person('user', 'The person', true),
          { name: 'role', description: 'Their role (default agent)', type: 'string', choices: ROLES },
          { name: 'queue', description: 'A queue they serve (default: default)', type: 'string', maxLength: 64 },
          { name: 'max', description: 'Most conversations at once', type: 'integer', min: 1, max: 50, named: true },
          { name: 'name', description: 'Display name on the desk', type: 'string', maxLength: 80, named: true },
        ],
      },
      { name: 'list', description: 'List seats', example: '/seat list', options: [{ name: 'queue', description: 'Only this queue', type: 'string', maxLength: 64 }] },
      { name: 'import', description: 'Add seats from a CSV file', example: '/seat import file:seats.csv', options: [{ name: 'file', description: 'CSV: user,name,roles,queues,max', type: 'attachment', required: true }] },
      { name: 'disable', description: 'Offboard a seat: hand over chats, revoke roles, disable', example: '/seat disable user:@sam handover:@ana', options: [person('user', 'The person', true), person('handover', 'Who gets their open chats', false)] },
      { name: 'remove', description: 'Remove a disabled seat', example: '/seat remove user:@sam', options: [person('user', 'The person', true)] },
    ],
  },
  { name: 'assign', description: 'Grant a role or a queue', options: grant, exactlyOne: ['role', 'queue'], example: '/assign user:@ana role:supervisor' },
  { name: 'revoke', description: 'Revoke a role or a queue', options: grant, exactlyOne: ['role', 'queue'], example: '/revoke user:@ana queue:billing' },
  {
    name: 'audit', description: 'The audit trail',
    options: [
      person('person', 'Only entries about this person', false),
      { name: 'since', description: '24h, 7d or a date like 2026-11-01', type: 'string', pattern: { regex: /^(\d+[mhdw]|\d{4}-\d{2}-\d{2})$/, hint: '24h, 7d or a date like 2026-11-01' } },
      { name: 'verify', description: 'Check the hash chain instead', type: 'boolean', word: 'verify' },
    ],
    example: '/audit since:7d',
  },
  {
    name: 'alerts', description: 'Security alerts',
    options: [{ name: 'ack', description: 'Acknowledge the alert with this id', type: 'string', maxLength: 64, word: 'ack' }],
    example: '/alerts ack:a1b2c3',
  },
  {
    name: 'export', description: 'Transcripts as CSV, sent by DM',
    options: [
      { name: 'from', description: 'First day, like 2026-11-01', type: 'string', pattern: DATE },
      { name: 'to', description: 'Last day, like 2026-11-21', type: 'string', pattern: DATE, needs: 'from' },
      { name: 'queue', description: 'Only this queue', type: 'string', maxLength: 64 },
    ],
    example: '/export from:2026-11-01 to:2026-11-21',
  },
];

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

/** The body of `PUT /applications/{app}/guilds/{guild}/commands` (bulk overwrite, effective at once). */
export function commandsBody(): RESTPutAPIApplicationGuildCommandsJSONBody {
  return COMMANDS.map((c) => ({
    name: c.name,
    description: c.description,
    type: 1,
    options: c.subcommands
      ? c.subcommands.map((s) => ({ type: ApplicationCommandOptionType.Subcommand, name: s.name, description: s.description, options: s.options.map(optionJson) }))
      : (c.options ?? []).map(optionJson),
  })) as RESTPutAPIApplicationGuildCommandsJSONBody;
}

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}
