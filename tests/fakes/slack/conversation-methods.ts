import { openConversation, resolveChannel, toWireMessage } from './conversations.js';
import { messageAt, repliesAt } from './fake-state.js';
import { fail, type MethodHandler } from './method-context.js';
import { boolArg, stringArg } from './read-args.js';

/**
 * conversations.open → `{ok, channel:{id}}`, and on later calls for the same
 * users `{ok, no_op:true, already_open:true, channel}` (slack-ruby/slack-api-ref
 * conversations.open examples). Errors: `users_list_not_supplied`,
 * `too_many_users` (more than 8), `user_not_found`, `channel_not_found`,
 * `method_not_supported_for_channel_type` (resuming a regular channel).
 */
export const openConversationMethod: MethodHandler = (ctx, args) => {
  const channelArg = stringArg(args, 'channel');
  if (channelArg && !stringArg(args, 'users')) {
    const id = resolveChannel(ctx, channelArg);
    if (!id) return fail('channel_not_found');
    if (ctx.config.channels.has(id)) return fail('method_not_supported_for_channel_type');
    return { ok: true, no_op: true, already_open: true, channel: { id } };
  }
  const usersArg = stringArg(args, 'users');
  if (!usersArg) return fail('users_list_not_supplied');
  const ids = usersArg.split(',').map((u) => u.trim()).filter(Boolean);
  if (ids.length > 8) return fail('too_many_users');
  if (ids.some((id) => id !== ctx.config.botUserId && !ctx.config.users[id])) return fail('user_not_found');
  const others = ids.filter((id) => id !== ctx.config.botUserId);
  if (others.length === 0) return fail('not_enough_users');
  const { id, alreadyOpen } = openConversation(ctx.state, others);
  const channel = boolArg(args, 'return_im')
    ? {
        id,
        created: Math.floor(Date.now() / 1000),
        is_im: others.length === 1,
        is_org_shared: false,
        user: others.length === 1 ? others[0] : undefined,
        last_read: '0000000000.000000',
        latest: null,
        unread_count: 0,
        unread_count_display: 0,
        is_open: true,
        priority: 0,
      }
    : { id };
  return alreadyOpen ? { ok: true, no_op: true, already_open: true, channel } : { ok: true, channel };
};

/**
 * conversations.replies → `{ok, messages, has_more, response_metadata?}`:
 * the parent first, then replies oldest first. `ts` may be the parent or any
 * reply; an unthreaded message returns alone; an unknown ts is
 * `thread_not_found` (method reference). `metadata` is included only with
 * `include_all_metadata`. `limit`/`cursor` paginate; `oldest`/`latest` are ignored.
 */
export const repliesMethod: MethodHandler = (ctx, args) => {
  const channel = resolveChannel(ctx, stringArg(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const msg = messageAt(ctx.state, channel, stringArg(args, 'ts'));
  if (!msg) return fail('thread_not_found');
  const isReply = msg.thread_ts !== undefined && msg.thread_ts !== msg.ts;
  const parent = isReply ? messageAt(ctx.state, channel, msg.thread_ts) : msg;
  // A reply whose parent the fake never saw is returned alone.
  const thread = parent ? [parent, ...repliesAt(ctx.state, channel, parent.ts)] : [msg];
  const limit = Math.min(Math.max(Number(stringArg(args, 'limit') ?? 1000) || 1000, 1), 1000);
  const cursor = stringArg(args, 'cursor');
  let start = 0;
  if (cursor) {
    const match = /^next_index:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
    if (!match) return fail('invalid_cursor');
    start = Number(match[1]);
  }
  const includeMetadata = boolArg(args, 'include_all_metadata') === true;
  const page = thread.slice(start, start + limit).map((m) => toWireMessage(ctx, m, includeMetadata));
  const hasMore = start + limit < thread.length;
  return {
    ok: true,
    messages: page,
    has_more: hasMore,
    ...(hasMore
      ? { response_metadata: { next_cursor: Buffer.from(`next_index:${start + limit}`).toString('base64') } }
      : {}),
  };
};

/**
 * conversations.info → `{ok, channel:{id, name, is_channel, is_group,
 * is_private, is_archived, is_member}}`; `channel_not_found` for a channel
 * that does not exist or that a private channel's non-member cannot see.
 * Channels starting with G are private here.
 */
export const conversationInfo: MethodHandler = (ctx, args) => {
  const id = stringArg(args, 'channel');
  if (!id) return fail('channel_not_found');
  const member = ctx.config.channels.has(id);
  const outside = ctx.config.outsideChannels.has(id);
  const isPrivate = id.startsWith('G');
  if (!member && (!outside || isPrivate)) return fail('channel_not_found');
  return {
    ok: true,
    channel: { id, name: id.toLowerCase(), is_channel: !isPrivate, is_group: isPrivate, is_im: false, is_private: isPrivate, is_archived: false, is_member: member, created: 1700000000 },
  };
};
