import type { APIGuildMember, APIUser } from 'discord.js';
import type { FakeChannel, FakeMessage, FakeUser } from './fake-types.js';

/** Everything a builder needs to know about the fake guild. */
export interface GuildFacts {
  guildId: string;
  applicationId: string;
  botUserId: string;
  botName: string;
  users: Readonly<Record<string, FakeUser>>;
  joinedAt: string;
}

/** A user object (developers/resources/user.mdx "User Object"). */
export function userObject(id: string, u: FakeUser): APIUser {
  return {
    id, username: u.username, discriminator: '0', global_name: u.global_name ?? null, avatar: null,
    ...(u.bot ? { bot: true } : {}),
  };
}

export function botUser(g: GuildFacts): APIUser {
  return userObject(g.botUserId, { username: g.botName, bot: true });
}

/** The author of a message: a member, the bot, or (unknown id) a user who left the server. */
export function userById(g: GuildFacts, id: string): APIUser {
  if (id === g.botUserId) return botUser(g);
  const u = g.users[id];
  return u ? userObject(id, u) : userObject(id, { username: `user${id.slice(-4)}` });
}

/** A guild member without its user (as in MESSAGE_CREATE's `member` and `resolved.members`). */
export function memberWithoutUser(g: GuildFacts): Omit<APIGuildMember, 'user'> {
  return { roles: [], premium_since: null, pending: false, nick: null, mute: false, deaf: false, joined_at: g.joinedAt, flags: 0 as never };
}

/** A guild text channel (type 0). */
export function textChannel(g: GuildFacts, id: string, name: string): FakeChannel {
  return {
    id, type: 0, guild_id: g.guildId, name, position: 0, permission_overwrites: [], parent_id: null, topic: null,
    nsfw: false, last_message_id: null, rate_limit_per_user: 0, flags: 0,
  } as unknown as FakeChannel;
}

/** The GUILD_CREATE payload: the guild with its channels, active threads and the bot's member. */
export function guildCreate(g: GuildFacts, channels: FakeChannel[], threads: FakeChannel[]): Record<string, unknown> {
  return {
    id: g.guildId, name: 'Support desk', icon: null, splash: null, discovery_splash: null, owner_id: Object.keys(g.users)[0] ?? g.botUserId,
    afk_channel_id: null, afk_timeout: 300, verification_level: 0, default_message_notifications: 0, explicit_content_filter: 0,
    roles: [{ id: g.guildId, name: '@everyone', color: 0, colors: { primary_color: 0, secondary_color: null, tertiary_color: null }, hoist: false, icon: null, unicode_emoji: null, position: 0, permissions: '1071698660929', managed: false, mentionable: false, flags: 0 }],
    emojis: [], features: [], mfa_level: 0, application_id: null, system_channel_id: null, system_channel_flags: 0, rules_channel_id: null,
    vanity_url_code: null, description: null, banner: null, premium_tier: 0, premium_subscription_count: 0, preferred_locale: 'en-US',
    public_updates_channel_id: null, nsfw_level: 0, stickers: [], premium_progress_bar_enabled: false, safety_alerts_channel_id: null,
    joined_at: g.joinedAt, large: false, unavailable: false, member_count: Object.keys(g.users).length + 1,
    voice_states: [], members: [{ ...memberWithoutUser(g), user: botUser(g) }], channels, threads, presences: [],
    stage_instances: [], guild_scheduled_events: [], soundboard_sounds: [],
  };
}

/** READY's payload (discord-api-types `GatewayReadyDispatchData`). */
export function ready(g: GuildFacts, sessionId: string, resumeUrl: string): Record<string, unknown> {
  return {
    v: 10, user: { ...botUser(g), verified: true, mfa_enabled: false, flags: 0 }, guilds: [{ id: g.guildId, unavailable: true }],
    session_id: sessionId, resume_gateway_url: resumeUrl, shard: [0, 1], application: { id: g.applicationId, flags: 0 },
  };
}

/** A new message object (developers/resources/message.mdx "Message Object"); mentions are taken from `<@id>` in the text. */
export function newMessage(g: GuildFacts, o: { id: string; channel: FakeChannel; authorId: string; content: string; type?: number; webhookId?: string; extra?: Partial<FakeMessage> }): FakeMessage {
  const mentioned = [...new Set([...o.content.matchAll(/<@!?(\d{5,20})>/g)].map((m) => m[1]!))];
  return {
    id: o.id, channel_id: o.channel.id, author: userById(g, o.authorId), content: o.content,
    timestamp: new Date().toISOString(), edited_timestamp: null, tts: false, mention_everyone: false,
    mentions: mentioned.map((id) => userById(g, id)), mention_roles: [], attachments: [], embeds: [], components: [],
    pinned: false, type: o.type ?? 0, flags: 0,
    ...(o.channel.guild_id ? { guild_id: o.channel.guild_id } : {}),
    ...(o.webhookId ? { webhook_id: o.webhookId } : {}),
    ...o.extra,
  } as FakeMessage;
}

/** MESSAGE_CREATE's payload: the message plus `member` and members on the mentions (guild channels). */
export function messageCreate(g: GuildFacts, m: FakeMessage): Record<string, unknown> {
  if (!m.guild_id) return { ...m };
  return {
    ...m,
    ...(m.webhook_id ? {} : { member: memberWithoutUser(g) }),
    mentions: m.mentions.map((u) => ({ ...u, member: memberWithoutUser(g) })),
  };
}

/**
 * TYPING_START's payload in a guild channel or thread (developers/events/gateway-events.mdx
 * "Typing Start": channel_id, guild_id, user_id, timestamp in Unix seconds, member with its user).
 */
export function typingStart(g: GuildFacts, channelId: string, userId: string): Record<string, unknown> {
  return {
    channel_id: channelId, guild_id: g.guildId, user_id: userId, timestamp: Math.floor(Date.now() / 1000),
    member: { ...memberWithoutUser(g), user: userById(g, userId) },
  };
}

/** The fields every guild interaction carries (developers/interactions/receiving-and-responding.mdx "Interaction Object"). */
export function interactionBase(g: GuildFacts, o: { id: string; token: string; type: number; userId: string; channel: FakeChannel; guildId?: string; applicationId?: string }): Record<string, unknown> {
  const common = {
    id: o.id, application_id: o.applicationId ?? g.applicationId, type: o.type, token: o.token, version: 1,
    channel: o.channel, channel_id: o.channel.id, app_permissions: '2248473465835073', locale: 'en-US', entitlements: [], attachment_size_limit: 10_485_760,
  };
  // In a DM (a button under an alert) there is no guild and no member, only the user (context 1: BOT_DM).
  if (!o.channel.guild_id) return { ...common, user: userById(g, o.userId), authorizing_integration_owners: { 0: '0' }, context: 1 };
  const guildId = o.guildId ?? g.guildId;
  return {
    ...common,
    guild: { id: guildId, locale: 'en-US', features: [] }, guild_id: guildId, guild_locale: 'en-US',
    member: { ...memberWithoutUser(g), user: userById(g, o.userId), permissions: '2248473465835073' },
    authorizing_integration_owners: { 0: guildId }, context: 0,
  };
}
