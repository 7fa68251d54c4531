import { addMessage, messageAt, type StoredMessage } from './fake-state.js';
import { resolveChannel, toWireMessage } from './conversations.js';
import { readMessageContent } from './message-content.js';
import { fail, type MethodHandler } from './method-context.js';
import { boolArg, stringArg } from './read-args.js';

/**
 * chat.postMessage → `{ok, channel, ts, message}` (docs.slack.dev
 * /reference/methods/chat.postMessage). A `thread_ts` makes the message a
 * reply in that parent's thread.
 */
export const postMessage: MethodHandler = (ctx, args) => {
  if (ctx.config.outsideChannels.has(stringArg(args, 'channel') ?? '')) return fail('not_in_channel');
  const channel = resolveChannel(ctx, stringArg(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const read = readMessageContent(ctx, args, true);
  if ('error' in read) return fail(read.error);
  const { warning, ...content } = read;
  const msg: StoredMessage = {
    channel,
    ts: ctx.nextTs(),
    thread_ts: stringArg(args, 'thread_ts') || undefined,
    ...content,
    user: ctx.config.botUserId,
    bot_id: ctx.config.botId,
    app_id: ctx.config.appId,
    team: ctx.config.teamId,
    reply_broadcast: boolArg(args, 'reply_broadcast'),
    unfurl_links: boolArg(args, 'unfurl_links'),
    unfurl_media: boolArg(args, 'unfurl_media'),
  };
  addMessage(ctx.state, msg);
  return { ok: true, channel, ts: msg.ts, message: toWireMessage(ctx, msg, true), ...warned(warning) };
};

/** How Slack adds a warning to a successful answer. */
function warned(warning: string | undefined): Record<string, unknown> {
  return warning ? { warning, response_metadata: { warnings: [warning] } } : {};
}

/**
 * chat.update → `{ok, channel, ts, text, message}`. Errors per the method
 * reference: `message_not_found` ("No message exists with the requested
 * timestamp") and `cant_update_message` ("Authenticated user does not have
 * permission to update this message") for messages the app did not post.
 * Blocks are kept unless new ones are passed.
 */
export const updateMessage: MethodHandler = (ctx, args) => {
  const channel = resolveChannel(ctx, stringArg(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const msg = messageAt(ctx.state, channel, stringArg(args, 'ts'));
  if (!msg) return fail('message_not_found');
  if (msg.bot_id !== ctx.config.botId) return fail('cant_update_message');
  const content = readMessageContent(ctx, args, true);
  if ('error' in content) return fail(content.error);
  if (args.text !== undefined) msg.text = content.text;
  if (content.blocks) msg.blocks = content.blocks;
  if (content.attachments) msg.attachments = content.attachments;
  if (content.metadata) msg.metadata = content.metadata;
  msg.edited = { user: ctx.config.botUserId, ts: ctx.nextTs() };
  return { ok: true, channel, ts: msg.ts, text: msg.text, message: toWireMessage(ctx, msg, true), ...warned(content.warning) };
};

/**
 * chat.postEphemeral → `{ok, message_ts}`; `user_not_in_channel` when the
 * recipient is not a member (slack-api-ref chat.postEphemeral examples).
 */
export const postEphemeral: MethodHandler = (ctx, args) => {
  const channel = resolveChannel(ctx, stringArg(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const user = stringArg(args, 'user');
  if (!user || !ctx.config.users[user]) return fail('user_not_in_channel');
  const content = readMessageContent(ctx, args, true);
  if ('error' in content) return fail(content.error);
  const ts = ctx.nextTs();
  ctx.state.ephemerals.push({
    channel,
    user,
    ts,
    text: content.text,
    blocks: content.blocks,
    thread_ts: stringArg(args, 'thread_ts') || undefined,
  });
  return { ok: true, message_ts: ts };
};
