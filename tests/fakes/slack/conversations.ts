import { createHash } from 'node:crypto';
import { messageAt, repliesAt, type FakeState, type StoredMessage } from './fake-state.js';
import type { MethodContext } from './method-context.js';

/**
 * The id conversations.open returns for a user set: stable, so the same users
 * always get the same conversation. One user gives a `D…` IM id; several give
 * a `G…` multi-person IM id, the prefix Slack has used for mpims.
 */
export function conversationIdFor(users: string[]): string {
  const sorted = [...new Set(users)].sort();
  if (sorted.length === 1) return `D${sorted[0]!.slice(1)}`;
  return `G${createHash('sha1').update(sorted.join(',')).digest('hex').slice(0, 10).toUpperCase()}`;
}

/** Opens (or finds) the IM with `users` and reports whether it already existed. */
export function openConversation(state: FakeState, users: string[]): { id: string; alreadyOpen: boolean } {
  const key = [...new Set(users)].sort().join(',');
  const existing = state.openConversations.get(key);
  if (existing) return { id: existing, alreadyOpen: true };
  const id = conversationIdFor(users);
  state.openConversations.set(key, id);
  return { id, alreadyOpen: false };
}

/**
 * Resolves a `channel` argument to a conversation id, or undefined for
 * `channel_not_found`. Known channels and opened IMs resolve to themselves; a
 * member's user id resolves to the app's IM with that user, as chat.postMessage
 * does when given a user id.
 */
export function resolveChannel(ctx: MethodContext, channel: string | undefined): string | undefined {
  if (!channel) return undefined;
  if (ctx.config.channels.has(channel)) return channel;
  for (const id of ctx.state.openConversations.values()) if (id === channel) return channel;
  if (/^[UW]/.test(channel) && ctx.config.users[channel] && channel !== ctx.config.botUserId) {
    return openConversation(ctx.state, [channel]).id;
  }
  return undefined;
}

/**
 * Renders a stored message the way the Web API returns it: modern app
 * messages carry `bot_id`, `app_id` and `bot_profile` and no subtype
 * (docs.slack.dev GenericMessageEvent); thread parents carry `reply_count`,
 * `reply_users`, `latest_reply`; replies carry `parent_user_id`
 * (conversations.replies response example). `metadata` appears only when
 * asked for, as with `include_all_metadata`.
 */
export function toWireMessage(
  ctx: MethodContext,
  msg: StoredMessage,
  includeMetadata: boolean,
): Record<string, unknown> {
  const wire: Record<string, unknown> = { type: 'message', user: msg.user, text: msg.text, ts: msg.ts, team: msg.team };
  if (msg.bot_id) {
    wire.bot_id = msg.bot_id;
    wire.app_id = msg.app_id;
    wire.bot_profile = {
      id: msg.bot_id,
      app_id: msg.app_id,
      name: ctx.config.botName,
      deleted: false,
      team_id: ctx.config.teamId,
    };
  }
  if (msg.blocks) wire.blocks = msg.blocks;
  if (msg.attachments) wire.attachments = msg.attachments;
  if (msg.files) wire.files = msg.files;
  if (msg.edited) wire.edited = msg.edited;
  if (msg.reactions?.length) wire.reactions = msg.reactions;
  if (includeMetadata && msg.metadata) wire.metadata = msg.metadata;
  if (msg.thread_ts && msg.thread_ts !== msg.ts) {
    wire.thread_ts = msg.thread_ts;
    const parent = messageAt(ctx.state, msg.channel, msg.thread_ts);
    if (parent) wire.parent_user_id = parent.user;
    return wire;
  }
  const replies = repliesAt(ctx.state, msg.channel, msg.ts);
  if (replies.length > 0) {
    const users = [...new Set(replies.map((r) => r.user))];
    wire.thread_ts = msg.ts;
    wire.reply_count = replies.length;
    wire.reply_users_count = users.length;
    wire.reply_users = users.slice(0, 5);
    wire.latest_reply = replies[replies.length - 1]!.ts;
    wire.is_locked = false;
    wire.subscribed = false;
  }
  return wire;
}
