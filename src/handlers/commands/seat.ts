import { fail, ok, type Result } from '../../core/result.js';
import type { Role } from '../../core/model.js';
import { ROLES, SeatAdmin, type OffboardStep } from '../../core/seat-admin.js';
import type { HandlerContext } from '../context.js';
import type { Permission } from '../../core/permissions.js';
import type { Command, CommandInput } from './types.js';
import { seatOfMention } from './lookup.js';
import { importSeats } from './seat-import.js';
import { languageOption, person, queueOption, roleOption } from './options.js';
import { t } from '../../i18n/format.js';
import { queueLanguage, readerLanguage } from '../../i18n/choose-language.js';
import { parseLanguage } from '../../i18n/languages.js';

const USAGE = 'seat add @person [role] [queue…] [max=N] [name="…"] [template=…] [lang=zh-CN] · seat list [queue] · seat import (CSV attached or pasted) · seat disable @person [@handover] · seat remove @person';

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
        languageOption('Their language (default: the desk\'s)', false, true),
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
  run: async () => fail('bad_arguments', { usage: 'usage.seat', example: '/seat add @ana agent max=5' }),
};

async function add(ctx: HandlerContext, { mentions, args }: CommandInput): Promise<Result<unknown>> {
  if (mentions.length !== 1) return fail('bad_arguments', { usage: 'usage.seat_add_one', example: '/seat add @ana agent default max=5' });
  const words = args.words.slice(1);
  const roles = words.filter((w) => (ROLES as readonly string[]).includes(w.toLowerCase())).map((w) => w.toLowerCase() as Role);
  const queues = words.filter((w) => !(ROLES as readonly string[]).includes(w.toLowerCase()));
  const max = args.options.max;
  if (max !== undefined && !/^\d+$/.test(max)) return fail('bad_arguments', { usage: 'usage.seat_max', example: '/seat add @ana max=5' });
  const lang = args.options.lang === undefined ? undefined : parseLanguage(args.options.lang);
  if (args.options.lang !== undefined && !lang) return fail('unknown_language', { lang: args.options.lang });
  const result = await new SeatAdmin(ctx.desk, ctx.desk.settings.seatTemplates).add(ctx.seat, {
    platform: ctx.actor.platform, userId: mentions[0]!,
    ...(roles.length ? { roles } : {}),
    ...(queues.length ? { queues } : {}),
    ...(max ? { maxChats: Number(max) } : {}),
    ...(args.options.name ? { name: args.options.name } : {}),
    ...(args.options.template ? { template: args.options.template } : {}),
    ...(lang ? { lang } : {}),
  });
  if (!result.ok) return result;
  const s = result.value.seat;
  await ctx.replyPrivately(t(ctx.lang, 'reply.seat_added', { created: result.value.created ? 'yes' : 'no', name: s.name, roles: s.roles.join(', '), queues: s.queues.join(', '), max: s.maxChats, lang: readerLanguage(ctx.desk.settings, s) }));
  return result;
}

async function list(ctx: HandlerContext, { args }: CommandInput): Promise<Result<unknown>> {
  const result = await new SeatAdmin(ctx.desk).list(ctx.seat, args.words[1]);
  if (!result.ok) return result;
  const { lang } = ctx;
  const lines = result.value.map((s) => t(lang, 'reply.seat_line', {
    name: s.name, state: s.enabled ? t(lang, `presence.${s.presence}`) : t(lang, 'reply.seat_disabled_state'),
    roles: s.roles.join(', ') || t(lang, 'reply.no_roles'), queues: s.queues.join(', ') || t(lang, 'word.none'), max: s.maxChats,
    lang: readerLanguage(ctx.desk.settings, s),
  }));
  await ctx.replyPrivately(lines.length ? t(lang, 'reply.seat_list', { count: lines.length, lines: lines.join('\n') }) : t(lang, 'reply.no_seats'));
  return result;
}

async function runImport(ctx: HandlerContext, { raw, files }: CommandInput): Promise<Result<unknown>> {
  const pasted = raw.replace(/^\s*import\b/i, '').replace(/^\s*```\w*\n?|```\s*$/g, '').trim();
  const file = files.find((f) => /\.csv$/i.test(f.name)) ?? files[0];
  const text = file ? (await file.read()).toString('utf8') : pasted;
  if (!text) return fail('bad_arguments', { usage: 'usage.seat_import', example: '/seat import user,name,roles\\nU0123ABCD,Ana,agent' });
  const result = await importSeats(ctx, text);
  if (result.ok) await ctx.replyPrivately(t(ctx.lang, 'reply.imported', { count: result.value.imported }));
  return result;
}

function describeStep(lang: string, step: OffboardStep): string {
  switch (step.kind) {
    case 'handed_over': return t(lang, 'reply.step_handed_over', { convId: step.convId, to: step.to });
    case 'released': return t(lang, 'reply.step_released', { convId: step.convId });
    case 'roles_revoked': return t(lang, 'reply.step_roles_revoked', { roles: step.roles.join(', ') || t(lang, 'word.none') });
    case 'disabled': return t(lang, 'reply.step_disabled');
  }
}

async function disable(ctx: HandlerContext, { mentions }: CommandInput): Promise<Result<unknown>> {
  if (mentions.length < 1 || mentions.length > 2) return fail('bad_arguments', { usage: 'usage.seat_disable', example: '/seat disable @sam @ana' });
  const target = await seatOfMention(ctx, mentions[0]!);
  const handover = mentions[1] ? await seatOfMention(ctx, mentions[1]) : undefined;
  if (mentions[1] && !handover) return fail('unknown_seat', { who: 'The colleague to hand the chats to' });
  const result = await new SeatAdmin(ctx.desk).disable(ctx.seat, target, handover);
  if (!result.ok) return result.failure.code === 'unknown_seat' ? fail('unknown_seat', { who: 'The person you named' }) : result;
  for (const step of result.value) {
    if (step.kind !== 'handed_over' && step.kind !== 'released') continue;
    const conv = await ctx.desk.conversations.get(step.convId);
    if (!conv) continue;
    const lang = queueLanguage(ctx.desk.settings, conv.queue);
    await ctx.desk.notice(conv, step.kind === 'handed_over'
      ? t(lang, 'notice.offboarded_handed', { seat: target!.name, to: step.to })
      : t(lang, 'notice.offboarded_released', { seat: target!.name, queue: conv.queue }));
  }
  await ctx.replyPrivately(t(ctx.lang, 'reply.offboarded', { name: target!.name, steps: result.value.map((s) => describeStep(ctx.lang, s)).join('\n') }));
  return ok(result.value);
}

async function remove(ctx: HandlerContext, { mentions }: CommandInput): Promise<Result<unknown>> {
  if (mentions.length !== 1) return fail('bad_arguments', { usage: 'usage.seat_remove', example: '/seat remove @sam' });
  const target = await seatOfMention(ctx, mentions[0]!);
  const result = await new SeatAdmin(ctx.desk).remove(ctx.seat, target);
  if (!result.ok) return result.failure.code === 'unknown_seat' ? fail('unknown_seat', { who: 'The person you named' }) : result;
  await ctx.replyPrivately(t(ctx.lang, 'reply.removed', { name: result.value.name }));
  return result;
}
