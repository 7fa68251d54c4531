import { fail, type MethodHandler } from './method-context.js';

/** trigger_ids the fake issued (blockActions / slashCommand builders use this shape: `<digits>.<digits>.<hex>`). */
const TRIGGER = /^\d+\.\d+\.[0-9a-f]+$/;

/**
 * views.open (docs.slack.dev/reference/methods/views.open): `trigger_id` and a
 * `view` JSON; a trigger is usable once (`expired_trigger_id` otherwise —
 * Slack also expires it after 3 s); returns `{ok, view:{id, …}}`. Tier 4.
 */
export const openView: MethodHandler = (ctx, args) => {
  const trigger = typeof args.trigger_id === 'string' ? args.trigger_id : undefined;
  if (!trigger) return fail('invalid_arguments');
  if (!TRIGGER.test(trigger) || ctx.state.usedTriggers.has(trigger)) return fail('expired_trigger_id');
  let view: unknown = args.view;
  if (typeof view === 'string') {
    try { view = JSON.parse(view); } catch { return fail('invalid_arguments'); }
  }
  if (!view || typeof view !== 'object' || (view as { type?: string }).type !== 'modal') return fail('invalid_arguments');
  ctx.state.usedTriggers.add(trigger);
  const id = ctx.nextId('V');
  ctx.state.views.push({ id, trigger_id: trigger, view: view as never, time: Date.now() });
  return { ok: true, view: { id, team_id: ctx.config.teamId, ...(view as object) } };
};
