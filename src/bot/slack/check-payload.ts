import { z } from 'zod';

/**
 * The shapes of the Slack payloads the desk handles, checked before bolt sees
 * them: bolt reads many fields without checking them (`body.user.id`,
 * `actions[0].action_id`, `event.channel.creator`…), so `payload=null`,
 * `actions:[null]` or `"event": null` would throw inside it. Only the fields
 * bolt or our listeners read are checked, by type; everything else passes.
 * Field names follow docs.slack.dev (Events API envelope, block_actions,
 * view_submission, slash command payloads).
 */

const text = z.string().max(100_000);
const id = z.string().min(1).max(255);
/** An object of any content: what bolt only tests with `in` or passes on. */
const anyObject = z.looseObject({});
/**
 * bolt decides what a payload is by the fields present (`event`, then
 * `command`, then `name`, then `actions`) before looking at `type`; a field
 * of another kind would send the payload down that kind's path.
 */
const absent = z.never({ error: 'not part of this kind of payload' }).optional();

const authorization = z.looseObject({
  team_id: id.nullable().optional(),
  enterprise_id: id.nullable().optional(),
  is_enterprise_install: z.boolean().optional(),
});

/** The `message` event: every field the desk reads, typed; a person's message names its channel and ts. */
const messageEvent = z
  .looseObject({
    type: z.literal('message'),
    subtype: z.string().optional(),
    channel: id.optional(),
    channel_id: id.optional(),
    user: id.optional(),
    bot_id: z.string().optional(),
    text: text.optional(),
    ts: id.optional(),
    thread_ts: id.optional(),
    team: id.optional(),
    files: z.array(z.looseObject({ name: z.string().optional(), url_private_download: z.string().optional(), url_private: z.string().optional() })).max(100).optional(),
    // bolt looks into these with `in` and reads their fields.
    item: anyObject.optional(),
    subteam: anyObject.optional(),
    assistant_thread: anyObject.optional(),
    message: anyObject.optional(),
    previous_message: anyObject.optional(),
  })
  .refine((e) => e.user === undefined || (e.channel !== undefined && e.ts !== undefined), { message: 'a message from a user needs channel and ts', path: ['channel'] });

const eventCallback = z.looseObject({
  type: z.literal('event_callback'),
  team_id: id,
  event_id: id.optional(),
  enterprise_id: id.nullable().optional(),
  is_enterprise_install: z.boolean().optional(),
  authorizations: z.array(authorization).optional(),
  event: z.looseObject({ type: id }),
});

/** A person in an interaction payload; `team_id` is where org-wide installs put the team. */
const interactionUser = z.looseObject({ id, name: z.string().optional(), username: z.string().optional(), team_id: id.optional() });
const team = z.looseObject({ id, enterprise_id: id.nullable().optional() }).nullable().optional();
const hasTeam = (p: { team?: { id: string } | null | undefined; user: { team_id?: string | undefined } }) => Boolean(p.team?.id ?? p.user.team_id);
/** Fields bolt reads on every interaction. */
const interactionBase = {
  event: absent,
  command: absent,
  name: absent,
  user: interactionUser,
  team,
  enterprise: z.looseObject({ id }).nullable().optional(),
  is_enterprise_install: z.boolean().optional(),
  response_url: z.string().optional(),
  response_urls: z.array(z.looseObject({ response_url: z.string() })).optional(),
  function_data: anyObject.optional(),
};

const blockActions = z
  .looseObject({
    ...interactionBase,
    type: z.literal('block_actions'),
    trigger_id: id.optional(),
    channel: z.looseObject({ id }).optional(),
    message: z.looseObject({ ts: id, thread_ts: id.optional() }).optional(),
    actions: z.array(z.looseObject({ action_id: id, block_id: z.string().optional(), value: text.optional(), action_ts: id.optional() })).min(1).max(100),
  })
  .refine(hasTeam, { message: 'team or user.team_id is required', path: ['team'] });

/** One input's state in `view.state.values`: the kinds of value the desk reads (people pickers, text inputs). */
const elementState = z.looseObject({
  type: z.string().optional(),
  selected_user: id.nullable().optional(),
  selected_users: z.array(id).max(100).optional(),
  value: text.nullable().optional(),
});

const viewSubmission = z
  .looseObject({
    ...interactionBase,
    type: z.literal('view_submission'),
    actions: absent,
    view: z.looseObject({
      id,
      callback_id: z.string(),
      private_metadata: z.string().optional(),
      app_installed_team_id: id.optional(),
      state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), elementState)) }),
    }),
  })
  .refine(hasTeam, { message: 'team or user.team_id is required', path: ['team'] });

/** A slash command is a form: every field is a string already; these must be there. */
const slashCommand = z.looseObject({
  event: absent,
  command: z.string().regex(/^\/\S+$/, 'a command name such as /claim'),
  text: z.string().optional(),
  user_id: id,
  user_name: z.string().optional(),
  team_id: id,
  channel_id: id,
  trigger_id: id,
  response_url: z.string().optional(),
});

/** What to do with a signed, readable Slack payload. */
export type PayloadCheck =
  | { kind: 'handle' }
  /** Well formed but nothing the desk listens to: acknowledged (200) so Slack does not retry. */
  | { kind: 'ignore'; what: string }
  | { kind: 'malformed'; problems: string[] };

/**
 * Sorts a payload into handle / ignore / malformed. `form` is true for
 * bodies that came as a form without a `payload` field (slash commands).
 */
export function checkSlackPayload(body: Record<string, unknown>, form: boolean): PayloadCheck {
  if (form) return verdict(slashCommand.safeParse(body));
  if (typeof body.type !== 'string') return { kind: 'malformed', problems: ['type: a Slack payload names its type'] };
  switch (body.type) {
    case 'event_callback': {
      const envelope = eventCallback.safeParse(body);
      if (!envelope.success) return verdict(envelope);
      // The desk listens to `message` events only; others are acknowledged without going through bolt.
      if (envelope.data.event.type !== 'message') return { kind: 'ignore', what: `event ${envelope.data.event.type}` };
      return verdict(messageEvent.safeParse(body.event), 'event');
    }
    case 'block_actions': return verdict(blockActions.safeParse(body));
    case 'view_submission': return verdict(viewSubmission.safeParse(body));
    default: return { kind: 'ignore', what: body.type };
  }
}

function verdict(r: { success: true } | { success: false; error: z.ZodError }, under?: string): PayloadCheck {
  if (r.success) return { kind: 'handle' };
  return { kind: 'malformed', problems: r.error.issues.slice(0, 10).map((i) => `${[...(under ? [under] : []), ...i.path.map(String)].join('.') || 'body'}: ${i.message}`) };
}
