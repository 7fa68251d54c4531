import { fail, ok, type Result } from '../../core/result.js';
import type { Role } from '../../core/model.js';
import { ROLES, SeatAdmin, type OffboardStep } from '../../core/seat-admin.js';
import type { HandlerContext } from '../context.js';
import type { Permission } from '../../core/permissions.js';
import type { Command, CommandInput } from './types.js';
import { seatOfMention } from './lookup.js';
import { importSeats } from './seat-import.js';
import { person, queueOption, roleOption } from './options.js';

const USAGE = 'seat add @person [role] [queue…] [max=N] [name="…"] [template=…] · seat list [queue] · seat import (CSV attached or pasted) · seat disable @person [@handover] · seat remove @person';

// Offboarding and removal are admins' (both permissions); adding and listing
// leave strangers and disabled seats to the permission (permission_denied), as
// SeatAdmin always did. What a seat may grant, and where, SeatAdmin decides.
const OFFBOARD: readonly Permission[] = ['seat.manage', 'role.grant'];

/** `/seat …`: seat management (SPEC §6), one subcommand each with its preconditions. */
export const seatCommand: Command = {
  name: 'seat',
  usage: USAGE,
  description: 'Manage seats (agent accounts)',
  example: '/seat add user:@ana role:agent',
  subcommands: {
    add: {
      requires: { permission: 'seat.manage', action: 'manage seats' }, run: add,
      description: 'Create or re-enable a seat', example: '/seat add user:@ana role:agent max:10',
      options: [
        person('user', 'The person', true),
        roleOption('Their role (default agent)', false),
        queueOption('A queue they serve (default: default)', false),
        { name: 'max', description: 'Most conversations at once', type: 'integer', min: 1, max: 50, named: true },
        { name: 'name', description: 'Display name on the desk', type: 'string', maxLength: 80, named: true },
      ],
    },
    list: {
      requires: { permission: 'seat.manage', action: 'list seats' }, run: list,
      description: 'List seats', example: '/seat list', options: [queueOption('Only this queue', false)],
    },
    import: {
      requires: { seat: true, enabled: true, permission: 'seat.manage', action: 'import seats' }, run: runImport,
      description: 'Add seats from a CSV file', example: '/seat import file:seats.csv',
      options: [{ name: 'file', description: 'CSV: user,name,roles,queues,max', type: 'attachment', required: true }],
    },
    disable: {
      requires: { permission: OFFBOARD, action: 'offboard seats' }, run: disable,
      description: 'Offboard a seat: hand over chats, revoke roles, disable', example: '/seat disable user:@sam handover:@ana',
      options: [person('user', 'The person', true), person('handover', 'Who gets their open chats', false)],
    },
    remove: {
      requires: { permission: OFFBOARD, action: 'remove seats' }, run: remove,
      description: 'Remove a disabled seat', example: '/seat remove user:@sam', options: [person('user', 'The person', true)],
    },
  },
  run: async () => fail('bad_arguments', { usage: `seat takes add, list, import, disable or remove (${USAGE})`, example: '/seat add @ana agent max=5' }),
};

async function add(ctx: HandlerContext, { mentions, args }: CommandInput): Promise<Result<unknown>> {
  if (mentions.length !== 1) return fail('bad_arguments', { usage: 'seat add takes exactly one person', example: '/seat add @ana agent default max=5' });
  const words = args.words.slice(1);
  const roles = words.filter((w) => (ROLES as readonly string[]).includes(w.toLowerCase())).map((w) => w.toLowerCase() as Role);
  const queues = words.filter((w) => !(ROLES as readonly string[]).includes(w.toLowerCase()));
  const max = args.options.max;
  if (max !== undefined && !/^\d+$/.test(max)) return fail('bad_arguments', { usage: 'max=N takes a whole number', example: '/seat add @ana max=5' });
  const result = await new SeatAdmin(ctx.desk, ctx.desk.settings.seatTemplates).add(ctx.seat, {
    platform: ctx.actor.platform, userId: mentions[0]!,
    ...(roles.length ? { roles } : {}),
    ...(queues.length ? { queues } : {}),
    ...(max ? { maxChats: Number(max) } : {}),
    ...(args.options.name ? { name: args.options.name } : {}),
    ...(args.options.template ? { template: args.options.template } : {}),
  });
  if (!result.ok) return result;
  const s = result.value.seat;
  await ctx.replyPrivately(`${result.value.created ? 'Added' : 'Updated and enabled'} ${s.name}: roles ${s.roles.join(', ')}; queues ${s.queues.join(', ')}; up to ${s.maxChats} chats.`);
  return result;
}

async function list(ctx: HandlerContext, { args }: CommandInput): Promise<Result<unknown>> {
  const result = await new SeatAdmin(ctx.desk).list(ctx.seat, args.words[1]);
  if (!result.ok) return result;
  const lines = result.value.map((s) => `• ${s.name}: ${s.enabled ? s.presence : 'disabled'}; ${s.roles.join(', ') || 'no roles'}; queues ${s.queues.join(', ') || 'none'}; max ${s.maxChats}`);
  await ctx.replyPrivately(lines.length ? `${lines.length} seat${lines.length === 1 ? '' : 's'}:\n${lines.join('\n')}` : 'No seats match.');
  return result;
}

async function runImport(ctx: HandlerContext, { raw, files }: CommandInput): Promise<Result<unknown>> {
  const pasted = raw.replace(/^\s*import\b/i, '').replace(/^\s*```\w*\n?|```\s*$/g, '').trim();
  const file = files.find((f) => /\.csv$/i.test(f.name)) ?? files[0];
  const text = file ? (await file.read()).toString('utf8') : pasted;
  if (!text) return fail('bad_arguments', { usage: 'attach a CSV file or paste its rows after "seat import"', example: '/seat import user,name,roles\\nU0123ABCD,Ana,agent' });
  const result = await importSeats(ctx, text);
  if (result.ok) await ctx.replyPrivately(`Imported ${result.value.imported} seat${result.value.imported === 1 ? '' : 's'}.`);
  return result;
}

function describeStep(step: OffboardStep): string {
  switch (step.kind) {
    case 'handed_over': return `• conversation ${step.convId} handed to ${step.to}`;
    case 'released': return `• conversation ${step.convId} back in its queue`;
    case 'roles_revoked': return `• roles revoked: ${step.roles.join(', ') || 'none'}`;
    case 'disabled': return '• seat disabled (history kept)';
  }
}

async function disable(ctx: HandlerContext, { mentions }: CommandInput): Promise<Result<unknown>> {
  if (mentions.length < 1 || mentions.length > 2) return fail('bad_arguments', { usage: 'seat disable takes the person and, optionally, who gets their chats', example: '/seat disable @sam @ana' });
  const target = await seatOfMention(ctx, mentions[0]!);
  const handover = mentions[1] ? await seatOfMention(ctx, mentions[1]) : undefined;
  if (mentions[1] && !handover) return fail('unknown_seat', { who: 'The colleague to hand the chats to' });
  const result = await new SeatAdmin(ctx.desk).disable(ctx.seat, target, handover);
  if (!result.ok) return result.failure.code === 'unknown_seat' ? fail('unknown_seat', { who: 'The person you named' }) : result;
  await ctx.replyPrivately(`Offboarded ${target!.name}:\n${result.value.map(describeStep).join('\n')}`);
  return ok(result.value);
}

async function remove(ctx: HandlerContext, { mentions }: CommandInput): Promise<Result<unknown>> {
  if (mentions.length !== 1) return fail('bad_arguments', { usage: 'seat remove takes exactly one person', example: '/seat remove @sam' });
  const target = await seatOfMention(ctx, mentions[0]!);
  const result = await new SeatAdmin(ctx.desk).remove(ctx.seat, target);
  if (!result.ok) return result.failure.code === 'unknown_seat' ? fail('unknown_seat', { who: 'The person you named' }) : result;
  await ctx.replyPrivately(`Removed ${result.value.name}'s seat. Its audit history stays.`);
  return result;
}
