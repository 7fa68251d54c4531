import { randomBytes, randomUUID } from 'node:crypto';

/**
 * A request Slack would send to the bot: `payload` is what Socket Mode
 * carries in an envelope, `body` + `contentType` what the Events/Interactivity
 * Request URL receives over HTTP.
 */
export interface BotRequest<P = Record<string, unknown>> {
  payload: P;
  body: string;
  contentType: 'application/json' | 'application/x-www-form-urlencoded';
}

/** Workspace identity stamped on payloads; matches the fake's defaults. */
export interface PayloadWorkspace {
  team?: string;
  teamDomain?: string;
  apiAppId?: string;
  /** The bot user the event is authorized for (`authorizations[0].user_id`). */
  botUserId?: string;
}

let tsCounter = 0;
/** A fresh message ts ('<unix seconds>.<6 digits>'), unique within the process. */
export function nextMessageTs(): string {
  tsCounter = (tsCounter + 1) % 1_000_000;
  return `${Math.floor(Date.now() / 1000)}.${String(tsCounter).padStart(6, '0')}`;
}

const json = <P>(payload: P): BotRequest<P> => ({
  payload,
  body: JSON.stringify(payload),
  contentType: 'application/json',
});

/** Input for {@link messageEvent}. */
export interface MessageEventInput extends PayloadWorkspace {
  channel: string;
  user?: string;
  text: string;
  ts?: string;
  thread_ts?: string;
  /** Set for messages posted by an app; modern apps send no subtype (docs.slack.dev GenericMessageEvent). */
  bot_id?: string;
  /** e.g. 'bot_message' (classic integrations), 'message_changed'; placed on the event as given. */
  subtype?: string;
  event_id?: string;
  blocks?: unknown[];
  files?: unknown[];
  /** Extra event fields, merged last. */
  extra?: Record<string, unknown>;
}

/** `channel_type` as Slack derives it from the id prefix. */
function channelType(channel: string): string {
  if (channel.startsWith('D')) return 'im';
  if (channel.startsWith('G')) return 'group';
  return 'channel';
}

/**
 * A `message` event in an `event_callback` envelope: `{token, team_id,
 * api_app_id, event, type:'event_callback', event_id, event_time,
 * authorizations, is_ext_shared_channel}` (bolt-js `EnvelopedEvent`;
 * docs.slack.dev event examples). Human messages carry `client_msg_id`.
 */
export function messageEvent(input: MessageEventInput): BotRequest {
  const team = input.team ?? 'T0001';
  const ts = input.ts ?? nextMessageTs();
  const event: Record<string, unknown> = {
    type: 'message',
    ...(input.subtype ? { subtype: input.subtype } : {}),
    ...(input.user ? { user: input.user } : {}),
    text: input.text,
    ts,
    team,
    channel: input.channel,
    event_ts: ts,
    channel_type: channelType(input.channel),
  };
  if (input.bot_id) {
    event.bot_id = input.bot_id;
    event.app_id = input.apiAppId ?? 'A0APP';
  } else if (!input.subtype) {
    event.client_msg_id = randomUUID();
  }
  if (input.thread_ts) event.thread_ts = input.thread_ts;
  if (input.blocks) event.blocks = input.blocks;
  if (input.files) event.files = input.files;
  Object.assign(event, input.extra);
  return json({
    token: 'verification-token',
    team_id: team,
    context_team_id: team,
    api_app_id: input.apiAppId ?? 'A0APP',
    event,
    type: 'event_callback',
    event_id: input.event_id ?? `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: Math.floor(Number(ts)),
    authorizations: [
      { enterprise_id: null, team_id: team, user_id: input.botUserId ?? 'U0BOT', is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  });
}

/** Input for {@link blockActions}. */
export interface BlockActionsInput extends PayloadWorkspace {
  user: string;
  userName?: string;
  channel: string;
  channelName?: string;
  message_ts: string;
  thread_ts?: string;
  action_id: string;
  value?: string;
  block_id?: string;
  trigger_id?: string;
  response_url?: string;
  /** The message the button sits on; defaults to a bot message at `message_ts`. */
  message?: Record<string, unknown>;
}

/**
 * A `block_actions` interaction for a button click, as Slack POSTs it to the
 * Interactivity Request URL: form field `payload=<JSON>` (docs.slack.dev
 * block_actions payload; bolt-js `BlockAction`). The container is
 * `{type:'message', message_ts, channel_id, is_ephemeral}`.
 */
export function blockActions(input: BlockActionsInput): BotRequest {
  const team = input.team ?? 'T0001';
  const appId = input.apiAppId ?? 'A0APP';
  const actionTs = `${(Date.now() / 1000).toFixed(6)}`;
  const payload = {
    type: 'block_actions',
    user: { id: input.user, username: input.userName ?? 'alex', name: input.userName ?? 'alex', team_id: team },
    api_app_id: appId,
    token: 'verification-token',
    container: {
      type: 'message',
      message_ts: input.message_ts,
      channel_id: input.channel,
      is_ephemeral: false,
      ...(input.thread_ts ? { thread_ts: input.thread_ts } : {}),
    },
    trigger_id: input.trigger_id ?? `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(16).toString('hex')}`,
    team: { id: team, domain: input.teamDomain ?? 'fake-workspace' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channel, name: input.channelName ?? 'support' },
    message: input.message ?? {
      type: 'message',
      user: input.botUserId ?? 'U0BOT',
      ts: input.message_ts,
      bot_id: 'B0BOT',
      app_id: appId,
      text: '',
      team,
      ...(input.thread_ts ? { thread_ts: input.thread_ts } : {}),
    },
    state: { values: {} },
    response_url: input.response_url ?? `https://hooks.slack.com/actions/${team}/${Date.now()}/${randomBytes(12).toString('hex')}`,
    actions: [
      {
        action_id: input.action_id,
        block_id: input.block_id ?? randomBytes(3).toString('hex'),
        text: { type: 'plain_text', text: 'Button', emoji: true },
        value: input.value,
        type: 'button',
        action_ts: actionTs,
      },
    ],
  };
  return { payload, body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), contentType: 'application/x-www-form-urlencoded' };
}

/** Input for {@link slashCommand}. */
export interface SlashCommandInput extends PayloadWorkspace {
  command: string;
  text?: string;
  user_id: string;
  user_name?: string;
  channel_id: string;
  channel_name?: string;
  trigger_id?: string;
  response_url?: string;
}

/**
 * A slash command as Slack POSTs it: form fields `token, team_id, team_domain,
 * channel_id, channel_name, user_id, user_name, command, text, api_app_id,
 * is_enterprise_install, response_url, trigger_id` (bolt-js `SlashCommand`).
 * Over Socket Mode the same fields arrive as a JSON object.
 */
export function slashCommand(input: SlashCommandInput): BotRequest<Record<string, string>> {
  const team = input.team ?? 'T0001';
  const payload: Record<string, string> = {
    token: 'verification-token',
    team_id: team,
    team_domain: input.teamDomain ?? 'fake-workspace',
    channel_id: input.channel_id,
    channel_name: input.channel_name ?? 'support',
    user_id: input.user_id,
    user_name: input.user_name ?? 'alex',
    command: input.command,
    text: input.text ?? '',
    api_app_id: input.apiAppId ?? 'A0APP',
    is_enterprise_install: 'false',
    response_url: input.response_url ?? `https://hooks.slack.com/commands/${team}/${Date.now()}/${randomBytes(12).toString('hex')}`,
    trigger_id: input.trigger_id ?? `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(16).toString('hex')}`,
  };
  return { payload, body: new URLSearchParams(payload).toString(), contentType: 'application/x-www-form-urlencoded' };
}

/** The `url_verification` handshake Slack sends when a Request URL is saved; the app must echo `challenge`. */
export function urlVerification(challenge: string): BotRequest {
  return json({ token: 'verification-token', challenge, type: 'url_verification' });
}

/** What a person submitted in a modal, by block id and action id (docs.slack.dev "view_submission payload"). */
export type ViewValues = Record<string, Record<string, { type: 'users_select'; selected_user: string } | { type: 'multi_users_select'; selected_users: string[] } | { type: 'plain_text_input'; value: string | null }>>;

export interface ViewSubmissionInput extends PayloadWorkspace {
  user: string;
  /** The view as the bot opened it (from `fake.views`): its id, callback_id and private_metadata are echoed. */
  view: { id: string; view: { callback_id?: string; private_metadata?: string } };
  values: ViewValues;
}

/**
 * A modal's submission as Slack POSTs it to the Request URL: form field
 * `payload` with `{type:'view_submission', team, user, api_app_id, token,
 * trigger_id, view:{id, type:'modal', callback_id, private_metadata,
 * state:{values}}, response_urls}` (bolt-js `ViewSubmitAction`).
 */
export function viewSubmission(input: ViewSubmissionInput): BotRequest {
  const team = input.team ?? 'T0001';
  const payload = {
    type: 'view_submission',
    team: { id: team, domain: input.teamDomain ?? 'fake-workspace' },
    user: { id: input.user, username: 'alex', name: 'alex', team_id: team },
    api_app_id: input.apiAppId ?? 'A0APP',
    token: 'verification-token',
    trigger_id: `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(16).toString('hex')}`,
    view: {
      id: input.view.id,
      team_id: team,
      type: 'modal',
      callback_id: input.view.view.callback_id ?? '',
      private_metadata: input.view.view.private_metadata ?? '',
      state: { values: input.values },
      hash: randomBytes(8).toString('hex'),
      app_id: input.apiAppId ?? 'A0APP',
      bot_id: 'B0BOT',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  return { payload, body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), contentType: 'application/x-www-form-urlencoded' };
}
