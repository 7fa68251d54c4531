import { z } from 'zod';
import type { Update } from '../../handlers/context.js';

const snowflake = z.string().regex(/^\d{1,20}$/);

/**
 * The fields of a gateway TYPING_START the desk reads (Discord "Typing Start":
 * `channel_id`, `guild_id`, `user_id`, `timestamp`, `member`). Sent with the
 * GUILD_MESSAGE_TYPING intent when someone starts typing in a channel or
 * thread, and again about every 10 s while they keep typing.
 */
export const typingStartSchema = z.object({
  channel_id: snowflake,
  guild_id: snowflake.optional(),
  user_id: snowflake,
  member: z.object({ nick: z.string().nullish(), user: z.object({ bot: z.boolean().optional() }).optional() }).optional(),
});

export type TypingStart = z.infer<typeof typingStartSchema>;

/** Someone typing in a conversation thread, as a neutral update (located like a thread message, so byThread finds it). */
export function typingToUpdate(t: TypingStart, guildId: string, parentChannelId: string): Extract<Update, { kind: 'typing' }> {
  return {
    kind: 'typing',
    actor: { platform: 'discord', userId: t.user_id, ...(t.member?.nick ? { name: t.member.nick } : {}) },
    location: { workspace: guildId, channel: parentChannelId, thread: t.channel_id },
  };
}
