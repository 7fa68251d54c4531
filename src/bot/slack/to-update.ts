import type { Update } from '../../handlers/context.js';
import { classifyThreadMessage, type ThreadMessageRules } from '../../core/thread-message.js';
import { deskCommandOf } from './setup/command-names.js';
import { plainMime, type AgentFile } from '../../core/files/agent-file.js';

/** The fields of a Slack `message` event the desk reads. */
export interface SlackMessageEvent {
  type: 'message';
  subtype?: string;
  channel: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
  team?: string;
  /** Slack's File type allows a null name. */
  files?: { name?: string | null; mimetype?: string; size?: number; url_private_download?: string; url_private?: string }[];
}

/**
 * Files a person shared with a message (`file_share`; Slack also attaches
 * `files` without that subtype), by reference: `url_private_download` is
 * fetched with the bot token when the reply goes out (the files:read scope).
 */
function filesOf(event: SlackMessageEvent): AgentFile[] {
  // Checked: a signed but malformed event must not throw here.
  if (!Array.isArray(event.files)) return [];
  return event.files.map((f) => ({
    name: typeof f?.name === 'string' ? f.name : 'file',
    mime: plainMime(f?.mimetype),
    ...(typeof f?.size === 'number' ? { size: f.size } : {}),
    platform: 'slack' as const,
    ref: String(f?.url_private_download ?? f?.url_private ?? ''),
  }));
}

/** Subtypes that are a person writing (anything else: edits, joins, bot posts… is not). */
const HUMAN_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

/**
 * A thread reply from a person, as a neutral update; undefined for everything
 * the desk ignores: top-level messages, edits and other subtypes, and messages
 * from any bot including this one (by `bot_id` and by user id, not by subtype:
 * modern apps post with no subtype; platform-facts.md §4).
 */
export function messageToUpdate(event: SlackMessageEvent, teamId: string, botUserId: string): Extract<Update, { kind: 'thread_message' }> | undefined {
  if (!HUMAN_SUBTYPES.has(event.subtype)) return undefined;
  if (event.bot_id || !event.user || event.user === botUserId) return undefined;
  if (!event.thread_ts || event.thread_ts === event.ts) return undefined;
  // Addressing the bot (`@threaddesk …`) is not a mention of a colleague, nor text for the customer.
  const raw = (event.text ?? '').replace(new RegExp(`<@${botUserId}(\\|[^>]*)?>\\s*`, 'g'), '');
  const files = filesOf(event);
  return {
    kind: 'thread_message',
    actor: { platform: 'slack', userId: event.user },
    location: { workspace: event.team ?? teamId, channel: event.channel, thread: event.thread_ts },
    messageId: event.ts,
    text: slackToPlain(raw),
    mentions: [...raw.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)].map((m) => m[1]!).filter((u) => u !== botUserId),
    ...(files.length ? { files } : {}),
  };
}

/**
 * Slack's mrkdwn as the plain text a customer should see: links as
 * `label (url)`, channel and user references by name, entities unescaped.
 */
export function slackToPlain(text: string): string {
  return text
    .replace(/<(https?:\/\/[^|>]+)\|([^>]+)>/g, (_m, url: string, label: string) => (label === url ? url : `${label} (${url})`))
    .replace(/<(https?:\/\/[^>]+)>/g, '$1')
    .replace(/<mailto:([^|>]+)(?:\|[^>]+)?>/g, '$1')
    .replace(/<#[CG][A-Z0-9]+\|([^>]+)>/g, '#$1')
    .replace(/<@[UW][A-Z0-9]+\|([^>]+)>/g, '@$1')
    .replace(/<#([CG][A-Z0-9]+)>/g, '#$1')
    .replace(/<!(here|channel|everyone)>/g, '@$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * A top-level `!command` (outside any thread) from a person, e.g. `!seat import`
 * with a CSV attached: Slack's slash commands cannot carry files.
 */
export function messageToCommand(
  event: SlackMessageEvent,
  teamId: string,
  botUserId: string,
  rules: ThreadMessageRules,
  download: (url: string) => Promise<Buffer>,
): Extract<Update, { kind: 'command' }> | undefined {
  if (!HUMAN_SUBTYPES.has(event.subtype) || event.bot_id || !event.user || event.user === botUserId) return undefined;
  if (event.thread_ts && event.thread_ts !== event.ts) return undefined;
  const raw = event.text ?? '';
  const kind = classifyThreadMessage(slackToPlain(raw.replace(/<@[UW][A-Z0-9]+(?:\|[^>]*)?>/g, '')), [], rules);
  if (kind.kind !== 'command') return undefined;
  return {
    kind: 'command',
    actor: { platform: 'slack', userId: event.user },
    location: { workspace: event.team ?? teamId, channel: event.channel },
    name: kind.name,
    args: kind.args,
    mentions: [...raw.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)].map((m) => m[1]!).filter((u) => u !== botUserId),
    files: (event.files ?? []).filter((f) => f.url_private_download ?? f.url_private).map((f) => ({ name: f.name ?? 'file', read: () => download((f.url_private_download ?? f.url_private)!) })),
  };
}

type Actor = { id: string; name?: string };

/**
 * A header button (`td:<action>`, the conversation id as its value), or a
 * select of a private view (`td:template`: the option's value is the
 * conversation id, then what was picked); undefined without one.
 */
export function buttonToUpdate(
  b: { user: Actor; channel?: { id: string }; team?: { id: string }; message?: { ts: string; thread_ts?: string } },
  a: { action_id: string; value?: string; selected_option?: { value?: string } },
): Extract<Update, { kind: 'action' }> | undefined {
  // The payload's shape is checked loosely (check-payload.ts): a select's value is trusted only as a string.
  const [picked, ...args] = typeof a.selected_option?.value === 'string' ? a.selected_option.value.split(' ') : [];
  const value = picked ?? a.value;
  if (!value || !b.user?.id) return undefined;
  return {
    kind: 'action',
    actor: { platform: 'slack', userId: b.user.id, ...(b.user.name ? { name: b.user.name } : {}) },
    location: { workspace: b.team?.id ?? '', channel: b.channel?.id ?? '', ...(b.message ? { thread: b.message.thread_ts ?? b.message.ts } : {}) },
    name: a.action_id.slice(3),
    convId: value,
    ...(args.length ? { args: args.join(' ') } : {}),
  };
}

/** A command button (`tdcmd:`, the command line as its value: an alert's Acknowledge). */
export function commandButtonToUpdate(b: { user: Actor; team?: { id: string }; channel?: { id: string } }, line: string): Extract<Update, { kind: 'command' }> | undefined {
  const [name, ...rest] = line.split(/\s+/);
  if (!name || !b.user?.id) return undefined;
  return { kind: 'command', actor: { platform: 'slack', userId: b.user.id }, location: { workspace: b.team?.id ?? '', channel: b.channel?.id ?? '' }, name, args: rest.join(' ') };
}

/** A Transfer / Escalate picker submitted: the command, with the people picked as its mentions. */
export function pickerToUpdate(
  kind: 'transfer' | 'escalate', userId: string, teamId: string | undefined,
  meta: { channel: string; thread: string }, people: string[], reason: string,
): Extract<Update, { kind: 'command' }> {
  return {
    kind: 'command',
    actor: { platform: 'slack', userId },
    location: { workspace: teamId ?? '', channel: meta.channel, thread: meta.thread },
    name: kind,
    args: reason,
    mentions: people,
  };
}

/** A slash command (`/claim`, `/seat add …`). */
export function slashCommandToUpdate(c: { user_id: string; user_name: string; team_id: string; channel_id: string; command: string; text?: string }): Extract<Update, { kind: 'command' }> {
  return {
    kind: 'command',
    actor: { platform: 'slack', userId: c.user_id, name: c.user_name },
    location: { workspace: c.team_id, channel: c.channel_id },
    // `/td-status` is `status`: a command whose name Slack keeps for itself is registered with a prefix.
    name: deskCommandOf(c.command),
    args: c.text ?? '',
    // With "Escape channels, users, and links" on, Slack writes people as <@U123|name>.
    mentions: [...(c.text ?? '').matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)].map((m) => m[1]!),
  };
}

/** A message as Slack nests it in `message_changed` (`message`, `previous_message`) and `message_deleted` (`previous_message`). */
interface NestedMessage { user?: unknown; bot_id?: unknown; text?: unknown; ts?: unknown; thread_ts?: unknown }

/** The fields of the two change events beyond a plain `message` event's. */
export type SlackChangeEvent = SlackMessageEvent & { message?: NestedMessage; previous_message?: NestedMessage; deleted_ts?: string };

/**
 * A person's edit (`message_changed`) or delete (`message_deleted`) of their
 * reply in a thread, as a neutral update; undefined for everything else: top-level
 * messages, bots (this one included), and changes that carry no text. Slack
 * names no deleter, so the author of the deleted message acts.
 */
export function changeToUpdate(event: SlackChangeEvent, teamId: string, botUserId: string): Extract<Update, { kind: 'reply_changed' }> | undefined {
  const deleted = event.subtype === 'message_deleted';
  if (event.subtype !== 'message_changed' && !deleted) return undefined;
  const m = deleted ? event.previous_message : event.message;
  // Some deliveries leave `ts` and `thread_ts` out of the new `message`: the previous one names the same message.
  const ts = m?.ts ?? event.previous_message?.ts ?? event.deleted_ts;
  const threadTs = m?.thread_ts ?? event.previous_message?.thread_ts;
  if (!m || typeof m.user !== 'string' || m.user === botUserId || m.bot_id !== undefined) return undefined;
  if (typeof ts !== 'string' || typeof threadTs !== 'string' || threadTs === ts) return undefined;
  const location = { workspace: event.team ?? teamId, channel: event.channel, thread: threadTs };
  const actor = { platform: 'slack', userId: m.user };
  if (deleted) return { kind: 'reply_changed', actor, location, messageId: ts };
  const text = slackToPlain((typeof m.text === 'string' ? m.text : '').replace(new RegExp(`<@${botUserId}(\\|[^>]*)?>\\s*`, 'g'), ''));
  // An edit that leaves no words (a file share's text removed) is no new wording for the customer.
  return text.trim() ? { kind: 'reply_changed', actor, location, messageId: ts, text } : undefined;
}
