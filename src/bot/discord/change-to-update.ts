import { z } from 'zod';
import type { Update } from '../../handlers/context.js';
import { discordToPlain, messageCreateSchema } from './to-update.js';

/** MESSAGE_DELETE: `{id, channel_id, guild_id?}`; Discord names neither the author nor who deleted it. */
export const messageDeleteSchema = z.object({ id: z.string().regex(/^\d{1,20}$/), channel_id: z.string().regex(/^\d{1,20}$/), guild_id: z.string().optional() });

/** MESSAGE_UPDATE: the message as MESSAGE_CREATE carries it, plus when it was edited (an embed unfurling has none). */
export const messageUpdateSchema = messageCreateSchema.extend({ edited_timestamp: z.string().nullish() });

type ReplyChanged = Extract<Update, { kind: 'reply_changed' }>;

/**
 * A person's edit of their message in a conversation thread (MESSAGE_UPDATE
 * with `edited_timestamp`), as a `reply_changed` update; undefined for bots,
 * webhooks and updates that are no edit (an embed unfurled).
 */
export function editToUpdate(m: z.infer<typeof messageUpdateSchema>, guildId: string, parentChannelId: string, botUserId: string | undefined): ReplyChanged | undefined {
  if (!m.edited_timestamp || m.author.bot || m.webhook_id || m.author.id === botUserId) return undefined;
  const raw = botUserId ? m.content.replace(new RegExp(`<@!?${botUserId}>\\s*`, 'g'), '') : m.content;
  const names = new Map(m.mentions.map((u) => [u.id, u.member?.nick ?? u.global_name ?? u.username]));
  const text = discordToPlain(raw, names);
  if (!text.trim()) return undefined;
  return { kind: 'reply_changed', actor: { platform: 'discord', userId: m.author.id }, location: { workspace: guildId, channel: parentChannelId, thread: m.channel_id }, messageId: m.id, text };
}

/**
 * A deleted message of a conversation thread, as a `reply_changed` update
 * without text. Discord does not say who deleted it (its author, or a
 * moderator), so the actor is nobody the desk knows: the reply's own record
 * decides (core/replies/change-reply.ts takes a delete by no seat as its author's).
 */
export function deleteToUpdate(d: z.infer<typeof messageDeleteSchema>, guildId: string, parentChannelId: string): ReplyChanged {
  return { kind: 'reply_changed', actor: { platform: 'discord', userId: 'deleted-by-unknown' }, location: { workspace: guildId, channel: parentChannelId, thread: d.channel_id }, messageId: d.id };
}
