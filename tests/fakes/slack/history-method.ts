import type { StoredMessage } from './fake-state.js';
import { resolveChannel, toWireMessage } from './conversations.js';
import { fail, type MethodHandler } from './method-context.js';
import { boolArg, stringArg } from './read-args.js';

/** Slack: "The maximum number of items to return … Maximum of 999", default 100 (method reference). */
const MAX_LIMIT = 999;
const DEFAULT_LIMIT = 100;

/**
 * conversations.history → `{ok, messages, has_more, pin_count,
 * response_metadata?}` (docs.slack.dev/reference/methods/conversations.history):
 * the channel's top-level messages, newest first. Thread replies are left out
 * (they are read with conversations.replies) unless broadcast to the channel;
 * thread parents are in, with their reply counts. `latest` (default now) and
 * `oldest` (default 0) bound the range, exclusively unless `inclusive`;
 * `limit` (default 100, at most 999) and `cursor` paginate, continuing toward
 * older messages. `metadata` appears only with `include_all_metadata`.
 * Errors: `channel_not_found`, `not_in_channel` (a channel the bot is not a
 * member of), `invalid_cursor`.
 */
export const historyMethod: MethodHandler = (ctx, args) => {
  const channelArg = stringArg(args, 'channel');
  if (channelArg && ctx.config.outsideChannels.has(channelArg)) return fail('not_in_channel');
  const channel = resolveChannel(ctx, channelArg);
  if (!channel) return fail('channel_not_found');
  const inclusive = boolArg(args, 'inclusive') === true;
  const oldest = Number(stringArg(args, 'oldest') ?? 0) || 0;
  const latest = Number(stringArg(args, 'latest') ?? Number.POSITIVE_INFINITY) || Number.POSITIVE_INFINITY;
  const inRange = (ts: number) => (inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest);
  const limit = Math.min(Math.max(Number(stringArg(args, 'limit') ?? DEFAULT_LIMIT) || DEFAULT_LIMIT, 1), MAX_LIMIT);

  const cursor = stringArg(args, 'cursor');
  let before = Number.POSITIVE_INFINITY;
  if (cursor) {
    const match = /^next_ts:(\d+\.\d{6})$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
    if (!match) return fail('invalid_cursor');
    before = Number(match[1]);
  }
  const visible = ctx.state.messages
    .filter((m) => m.channel === channel && isTopLevel(m) && inRange(Number(m.ts)) && Number(m.ts) < before)
    .sort((a, b) => Number(b.ts) - Number(a.ts));
  const page = visible.slice(0, limit);
  const hasMore = visible.length > limit;
  const includeMetadata = boolArg(args, 'include_all_metadata') === true;
  return {
    ok: true,
    messages: page.map((m) => toWireMessage(ctx, m, includeMetadata)),
    has_more: hasMore,
    pin_count: 0,
    ...(hasMore
      ? { response_metadata: { next_cursor: Buffer.from(`next_ts:${page[page.length - 1]!.ts}`).toString('base64') } }
      : {}),
  };
};

/** In the channel's own timeline: not a thread reply, or a reply also sent to the channel. */
function isTopLevel(m: StoredMessage): boolean {
  return m.thread_ts === undefined || m.thread_ts === m.ts || m.reply_broadcast === true;
}
