import { describe, expect, it } from 'vitest';
import type { Conversation, Role, Seat } from '../../src/core/model.js';
import type { FailureCode } from '../../src/core/result.js';
import { checkPreconditions, type PreconditionContext } from '../../src/handlers/preconditions-check.js';
import { inConversation, type Preconditions } from '../../src/handlers/preconditions.js';
import { parseArgs } from '../../src/handlers/parse-args.js';
import type { CommandInput } from '../../src/handlers/commands/types.js';
import { COMMANDS } from '../../src/handlers/commands/index.js';

const QUEUES = { default: { department: 'default' }, sales: { department: 'sales' } };

const seat = (roles: Role[], over: Partial<Seat> = {}): Seat => ({
  id: `seat-${roles.join('-')}`, name: 'Alex', bindings: [{ platform: 'slack', userId: 'U0ALEX' }], roles,
  departments: ['default'], queues: ['default'], maxChats: 5, presence: 'online', enabled: true, createdAt: 0,
  ...over,
});

/** Who asks: no seat, a disabled seat, and seats of each kind. */
const ACTORS = {
  stranger: undefined,
  disabled: seat(['admin'], { enabled: false }),
  agent: seat(['agent']),
  'sales agent': seat(['agent'], { departments: ['sales'] }),
  supervisor: seat(['supervisor']),
  security: seat(['security']),
  admin: seat(['admin'], { departments: [] }),
} satisfies Record<string, Seat | undefined>;
type Actor = keyof typeof ACTORS;

const conversation = { id: 'conv-1', queue: 'default' } as Conversation;
const input = (raw: string): CommandInput => ({ args: parseArgs(raw), raw, mentions: [], files: [] });
const queueIn = ({ args }: CommandInput) => args.words[0];

function context(actor: Actor, where: 'conversation' | 'channel' | 'other thread'): PreconditionContext {
  return {
    seat: ACTORS[actor],
    conversation: where === 'conversation' ? conversation : undefined,
    location: where === 'channel' ? {} : { thread: '1700000000.000100' },
    desk: { queueOf: (c) => QUEUES[c.queue as keyof typeof QUEUES], settings: { queues: QUEUES } },
  };
}

type Outcome = 'ok' | FailureCode;
interface Row { requirement: string; requires: Preconditions | undefined; raw?: string; where?: 'conversation' | 'channel' | 'other thread'; expect: Record<Actor, Outcome> }

const everyone = (outcome: Outcome): Record<Actor, Outcome> =>
  ({ stranger: outcome, disabled: outcome, agent: outcome, 'sales agent': outcome, supervisor: outcome, security: outcome, admin: outcome });

const ROWS: Row[] = [
  { requirement: 'nothing', requires: undefined, where: 'channel', expect: everyone('ok') },
  { requirement: 'a conversation, used outside any thread', requires: { conversation: true }, where: 'channel', expect: everyone('not_in_thread') },
  { requirement: 'a conversation, used in a thread that is none', requires: { conversation: true }, where: 'other thread', expect: everyone('unknown_conversation') },
  { requirement: 'a conversation, used in its thread', requires: { conversation: true }, expect: everyone('ok') },
  { requirement: 'a seat', requires: { seat: true }, expect: { ...everyone('ok'), stranger: 'not_a_seat' } },
  { requirement: 'an enabled seat', requires: { seat: true, enabled: true }, expect: { ...everyone('ok'), stranger: 'not_a_seat', disabled: 'seat_disabled' } },
  {
    requirement: 'a permission alone (strangers and disabled seats refused by it)', requires: { permission: 'chat.claim', action: 'claim' },
    expect: { ...everyone('ok'), stranger: 'permission_denied', disabled: 'permission_denied', security: 'permission_denied' },
  },
  {
    requirement: 'two permissions at once', requires: { permission: ['seat.manage', 'role.grant'], action: 'remove seats' },
    expect: { ...everyone('permission_denied'), admin: 'ok' },
  },
  {
    requirement: 'a permission in the conversation\'s department', requires: inConversation('chat.claim', 'claim'),
    expect: { stranger: 'not_a_seat', disabled: 'seat_disabled', agent: 'ok', 'sales agent': 'outside_department', supervisor: 'ok', security: 'permission_denied', admin: 'ok' },
  },
  {
    requirement: 'a permission in the department of a queue argument', raw: 'sales',
    requires: { seat: true, enabled: true, permission: 'data.export', action: 'export transcripts', department: { queueIn } },
    expect: { ...everyone('permission_denied'), stranger: 'not_a_seat', disabled: 'seat_disabled', supervisor: 'outside_department', admin: 'ok' },
  },
  {
    requirement: 'a permission in the department of a queue that does not exist', raw: 'nowhere',
    requires: { seat: true, enabled: true, permission: 'data.export', action: 'export transcripts', department: { queueIn } },
    expect: { ...everyone('permission_denied'), stranger: 'not_a_seat', disabled: 'seat_disabled', supervisor: 'unknown_queue', admin: 'unknown_queue' },
  },
  {
    requirement: 'a permission in a queue argument\'s department, no queue named', raw: '',
    requires: { permission: 'data.export', action: 'export transcripts', department: { queueIn } },
    expect: { ...everyone('permission_denied'), supervisor: 'ok', admin: 'ok' },
  },
];

describe('checkPreconditions', () => {
  const cases = ROWS.flatMap((row) => (Object.keys(ACTORS) as Actor[]).map((actor) => ({ ...row, actor, outcome: row.expect[actor] })));
  it.each(cases)('$requirement, asked by $actor: $outcome', ({ requires, raw, where, actor, outcome }) => {
    const result = checkPreconditions(context(actor, where ?? 'conversation'), 'claim', requires, input(raw ?? ''));
    expect(result.ok ? 'ok' : result.failure.code).toBe(outcome);
  });

  it('gives each refusal the details its words need', () => {
    const refuse = (actor: Actor, requires: Preconditions, raw = '', where: 'conversation' | 'channel' = 'conversation') =>
      checkPreconditions(context(actor, where), 'transfer', requires, input(raw));
    expect(refuse('agent', { conversation: true }, '', 'channel')).toEqual({ ok: false, failure: { code: 'not_in_thread', detail: { command: 'transfer' } } });
    expect(refuse('security', inConversation('chat.claim', 'transfer'))).toEqual({ ok: false, failure: { code: 'permission_denied', detail: { action: 'transfer' } } });
    expect(refuse('sales agent', inConversation('chat.claim', 'transfer'))).toEqual({ ok: false, failure: { code: 'outside_department', detail: { department: 'default' } } });
    expect(refuse('admin', { permission: 'data.export', department: { queueIn } }, 'nowhere')).toEqual({ ok: false, failure: { code: 'unknown_queue', detail: { queue: 'nowhere' } } });
  });
});

describe('what each command declares', () => {
  const declared = (requires: Preconditions | undefined) => {
    if (!requires) return 'nothing';
    const { department, ...rest } = requires;
    return { ...rest, ...(department ? { department: department === 'conversation' ? 'conversation' : 'queue argument' } : {}) };
  };
  const inThread = (permission: string, action: string) => ({ conversation: true, seat: true, enabled: true, permission, action, department: 'conversation' });

  it('states every requirement the command handlers used to check by hand', () => {
    const table = Object.fromEntries(Object.values(COMMANDS).flatMap((c) => [
      [c.name, declared(c.requires)],
      ...Object.entries(c.subcommands ?? {}).map(([sub, s]) => [`${c.name} ${sub}`, declared(s.requires)]),
    ]));
    expect(table).toEqual({
      claim: inThread('chat.claim', 'claim'),
      release: inThread('chat.claim', 'release'),
      close: inThread('chat.claim', 'close'),
      reopen: inThread('chat.claim', 'reopen'),
      transfer: inThread('chat.claim', 'transfer'),
      escalate: { conversation: true, seat: true, enabled: true, permission: 'chat.reply', action: 'escalate' },
      tag: inThread('chat.reply', 'tag'),
      untag: inThread('chat.reply', 'untag'),
      template: inThread('chat.reply', 'send templates'),
      status: { seat: true, enabled: true },
      queue: { seat: true, enabled: true, permission: 'chat.claim', action: 'see queues' },
      stats: { seat: true, enabled: true, permission: 'stats.view', action: 'see figures', department: 'queue argument' },
      lang: { seat: true, enabled: true },
      help: 'nothing',
      seat: 'nothing',
      'seat add': { permission: 'seat.manage', action: 'manage seats' },
      'seat list': { permission: 'seat.manage', action: 'list seats' },
      'seat import': { seat: true, enabled: true, permission: 'seat.manage', action: 'import seats' },
      'seat disable': { permission: ['seat.manage', 'role.grant'], action: 'offboard seats' },
      'seat remove': { permission: ['seat.manage', 'role.grant'], action: 'remove seats' },
      assign: { seat: true, enabled: true },
      revoke: { seat: true, enabled: true },
      audit: { seat: true, enabled: true, permission: 'audit.view', action: 'read the audit log' },
      alerts: { seat: true, enabled: true, permission: 'alerts.receive', action: 'see security alerts' },
      export: { seat: true, enabled: true, permission: 'data.export', action: 'export transcripts', department: 'queue argument' },
    });
  });
});
