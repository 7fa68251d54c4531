import { z } from 'zod';
import { plainMime } from '../../core/files/agent-file.js';
import type { Update } from '../../handlers/context.js';
import type { CommandCall } from './validate-options.js';

const snowflake = z.string().regex(/^\d{1,20}$/);
const user = z.object({
  id: snowflake,
  username: z.string(),
  global_name: z.string().nullish(),
  bot: z.boolean().optional(),
});
const member = z.object({ nick: z.string().nullish() });

/** The fields of a gateway MESSAGE_CREATE (an APIMessage plus guild_id/member) the desk reads. */
export const messageCreateSchema = z.object({
  id: snowflake,
  channel_id: snowflake,
  guild_id: snowflake.optional(),
  author: user,
  member: member.optional(),
  content: z.string(),
  type: z.number().int(),
  webhook_id: snowflake.optional(),
  mentions: z.array(user.extend({ member: member.optional() })).default([]),
  /** Files attached to the message (empty without the MESSAGE_CONTENT intent, except where it does not apply). */
  attachments: z.array(z.looseObject({ filename: z.string().optional(), url: z.string().optional(), size: z.number().optional(), content_type: z.string().optional() })).default([]),
});
export type DiscordMessage = z.infer<typeof messageCreateSchema>;

const option: z.ZodType<{ name: string; type: number; value?: string | number | boolean | undefined; options?: unknown[] | undefined }> = z.object({
  name: z.string(),
  type: z.number().int(),
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
  options: z.array(z.lazy(() => option)).optional(),
});

/** The fields of a gateway INTERACTION_CREATE the desk reads (commands and buttons). */
export const interactionSchema = z.object({
  id: snowflake,
  application_id: snowflake,
  type: z.number().int(),
  token: z.string().min(1),
  guild_id: snowflake.optional(),
  channel_id: snowflake.optional(),
  channel: z.object({ id: snowflake, type: z.number().int(), parent_id: snowflake.nullish() }).optional(),
  member: z.object({ user, nick: z.string().nullish() }).optional(),
  user: user.optional(),
  data: z.object({
    name: z.string().optional(),
    custom_id: z.string().optional(),
    options: z.array(option).optional(),
    resolved: z.object({
      users: z.record(z.string(), user).optional(),
      attachments: z.record(z.string(), z.object({ filename: z.string(), url: z.string(), size: z.number() })).optional(),
    }).optional(),
  }).optional(),
  message: z.object({ id: snowflake, channel_id: snowflake }).optional(),
  /** The invoking user's client language (`zh-CN`, `en-US`…); a malformed one is no locale, not a refused interaction. */
  locale: z.string().max(16).optional().catch(undefined),
});
export type DiscordInteraction = z.infer<typeof interactionSchema>;

/** Message types a person writes: DEFAULT and REPLY. Thread starters, joins, pins… are not. */
const HUMAN_TYPES = new Set([0, 19]);

/**
 * Whether a message could be a person's reply in a thread (cheap checks,
 * before the thread's parent channel is looked up): not from any bot
 * including this one (by `author.bot` and by user id, not by type), not from
 * a webhook (platform-facts.md §5 "Loop prevention"), not a system message.
 */
export function isHumanMessage(m: DiscordMessage, botUserId: string | undefined): boolean {
  if (m.author.bot || m.webhook_id || m.author.id === botUserId) return false;
  return HUMAN_TYPES.has(m.type);
}

/**
 * A person's message in a conversation thread, as a neutral update. The
 * location is the guild, the thread's parent channel (where the header is)
 * and the thread, so `conversations.byThread` finds it.
 */
export function messageToUpdate(m: DiscordMessage, guildId: string, parentChannelId: string, botUserId: string | undefined): Extract<Update, { kind: 'thread_message' }> {
  // Addressing the bot (`@threaddesk …`) is neither a mention of a colleague nor text for the customer.
  const raw = botUserId ? m.content.replace(new RegExp(`<@!?${botUserId}>\\s*`, 'g'), '') : m.content;
  const names = new Map(m.mentions.map((u) => [u.id, u.member?.nick ?? u.global_name ?? u.username]));
  // Mentions written in the text, not `m.mentions`: a reply pings the quoted author without naming them.
  const mentions = [...new Set([...raw.matchAll(/<@!?(\d{5,20})>/g)].map((x) => x[1]!))].filter((id) => id !== botUserId);
  return {
    kind: 'thread_message',
    actor: { platform: 'discord', userId: m.author.id, name: m.member?.nick ?? m.author.global_name ?? m.author.username },
    location: { workspace: guildId, channel: parentChannelId, thread: m.channel_id },
    messageId: m.id,
    text: discordToPlain(raw, names),
    mentions,
    // An attachment's `url` is on Discord's CDN, signed and fetched without the bot token.
    ...(m.attachments.length ? { files: m.attachments.map((a) => ({ name: a.filename ?? 'file', mime: plainMime(a.content_type), ...(a.size !== undefined ? { size: a.size } : {}), platform: 'discord' as const, ref: a.url ?? '' })) } : {}),
  };
}

/**
 * Discord's markup as the plain text a customer should see: people and
 * roles by name, custom emoji by name, timestamps as UTC dates. Markdown
 * (`**bold**`) stays: it reads fine as text.
 */
export function discordToPlain(text: string, names: ReadonlyMap<string, string> = new Map()): string {
  return text
    .replace(/<@!?(\d{5,20})>/g, (_m, id: string) => `@${names.get(id) ?? 'someone'}`)
    .replace(/<@&\d{5,20}>/g, '@role')
    .replace(/<#\d{5,20}>/g, '#channel')
    .replace(/<a?(:[A-Za-z0-9_~]+:)\d{5,20}>/g, '$1')
    .replace(/<t:(-?\d{1,13})(?::[tTdDfFR])?>/g, (_m, s: string) => `${new Date(Number(s) * 1000).toISOString().replace('T', ' ').slice(0, 16)} UTC`);
}

/** The actor of an interaction: a guild member (or a user, in a DM). */
export function interactionActor(i: DiscordInteraction): { platform: 'discord'; userId: string; name?: string; locale?: string } | undefined {
  const u = i.member?.user ?? i.user;
  if (!u) return undefined;
  // `locale`: the invoking user's client language, sent on every interaction but pings.
  return { platform: 'discord', userId: u.id, name: i.member?.nick ?? u.global_name ?? u.username, ...(i.locale ? { locale: i.locale } : {}) };
}

/** A button of the desk: `td:<action>:<convId>` on a header, `tdcmd:<command line>` under a DM (an alert's Acknowledge). */
export type DeskButton = { kind: 'header'; action: string; convId: string } | { kind: 'command'; name: string; args: string };

export function parseCustomId(customId: string | undefined): DeskButton | undefined {
  const header = /^td:([a-z-]+):(.+)$/.exec(customId ?? '');
  if (header) return { kind: 'header', action: header[1]!, convId: header[2]! };
  const command = /^tdcmd:([a-z]+)(?:\s+(.*))?$/.exec(customId ?? '');
  return command ? { kind: 'command', name: command[1]!, args: command[2] ?? '' } : undefined;
}

type CommandUpdate = Extract<Update, { kind: 'command' }>;

/** A slash command whose options were checked (validate-options.ts), with its files to read on demand. */
export function commandCallToUpdate(call: CommandCall, actor: Update['actor'], location: Update['location'], files: NonNullable<CommandUpdate['files']>): CommandUpdate {
  return { kind: 'command', actor, location, name: call.name, args: call.args, mentions: call.mentions, files };
}

/** A command button (an alert's Acknowledge): the command, where it was pressed. */
export function commandButtonToUpdate(button: Extract<DeskButton, { kind: 'command' }>, actor: Update['actor'], location: Update['location']): CommandUpdate {
  return { kind: 'command', actor, location, name: button.name, args: button.args };
}

/** A header button: its action on the conversation, in the thread the header starts (the thread has the header message's id). */
export function headerButtonToUpdate(button: Extract<DeskButton, { kind: 'header' }>, actor: Update['actor'], guildId: string, i: Pick<DiscordInteraction, 'channel_id' | 'message'>): Extract<Update, { kind: 'action' }> | undefined {
  if (!i.message) return undefined;
  return { kind: 'action', actor, location: { workspace: guildId, channel: i.channel_id ?? i.message.channel_id, thread: i.message.id }, name: button.action, convId: button.convId };
}
