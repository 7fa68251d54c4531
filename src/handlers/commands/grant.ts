import { t } from '../../i18n/format.js';
import { fail, ok } from '../../core/result.js';
import type { Role } from '../../core/model.js';
import { SeatAdmin } from '../../core/seat-admin.js';
import type { Command, CommandInput } from './types.js';
import type { HandlerContext } from '../context.js';
import { seatOfMention } from './lookup.js';
import { person, queueOption, roleOption, type CommandSpec } from './options.js';

async function grant(ctx: HandlerContext, { mentions, args }: CommandInput, verb: 'assign' | 'revoke') {
  const role = args.options.role as Role | undefined;
  const queue = args.options.queue;
  if (mentions.length !== 1 || Boolean(role) === Boolean(queue)) {
    return fail('bad_arguments', { usage: 'usage.grant', verb, example: `/${verb} @ana role=supervisor` });
  }
  const target = await seatOfMention(ctx, mentions[0]!);
  const admin = new SeatAdmin(ctx.desk, ctx.desk.settings.seatTemplates);
  const result = verb === 'assign' ? await admin.assign(ctx.seat, target, { ...(role ? { role } : {}), ...(queue ? { queue } : {}) }) : await admin.revoke(ctx.seat, target, { ...(role ? { role } : {}), ...(queue ? { queue } : {}) });
  if (!result.ok) return result.failure.code === 'unknown_seat' ? fail('unknown_seat', { who: 'The person you named' }) : result;
  const s = result.value;
  await ctx.replyPrivately(t(ctx.lang, verb === 'assign' ? 'grant.granted' : 'grant.revoked', {
    what: role ? t(ctx.lang, 'grant.role', { role }) : t(ctx.lang, 'grant.queue', { queue: queue ?? '' }), name: s.name,
    roles: s.roles.join(', ') || t(ctx.lang, 'word.none'), queues: s.queues.join(', ') || t(ctx.lang, 'word.none'),
  }));
  return ok(s);
}

// Which roles and queues a seat may grant, and in which departments, depends on
// what is granted to whom: SeatAdmin decides it (SPEC §6).
const REQUIRES = { seat: true, enabled: true } as const;

/** One person and exactly one of a role or a queue, for both verbs. */
const OPTIONS: Pick<CommandSpec, 'options' | 'exactlyOne'> = {
  options: [person('user', 'The person', true), roleOption('A role (give a role or a queue)', true), queueOption('A queue (give a role or a queue)', true)],
  exactlyOne: ['role', 'queue'],
};

/** `/assign @user role=… | queue=…` (admins: roles; supervisors: queues and the agent role in their departments). */
export const assignCommand: Command = {
  name: 'assign', usage: 'assign @person role=<role> | queue=<queue>', requires: REQUIRES, run: (ctx, input) => grant(ctx, input, 'assign'),
  description: 'Grant a role or a queue', ...OPTIONS, example: '/assign user:@ana role:supervisor',
};
/** `/revoke @user role=… | queue=…`; the last admin keeps the admin role. */
export const revokeCommand: Command = {
  name: 'revoke', usage: 'revoke @person role=<role> | queue=<queue>', requires: REQUIRES, run: (ctx, input) => grant(ctx, input, 'revoke'),
  description: 'Revoke a role or a queue', ...OPTIONS, example: '/revoke user:@ana queue:billing',
};
