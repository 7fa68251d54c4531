import { resolveChannel } from './conversations.js';
import { messageAt } from './fake-state.js';
import { fail, type MethodHandler } from './method-context.js';
import { stringArg } from './read-args.js';

/**
 * auth.test with the bot token → `{ok, url, team, user, team_id, user_id,
 * bot_id, is_enterprise_install}`; Bolt reads `user_id`/`bot_id` from it to
 * ignore its own messages.
 */
export const authTest: MethodHandler = (ctx) => ({
  ok: true,
  url: `https://${ctx.config.teamDomain}.slack.com/`,
  team: 'Fake Workspace',
  user: ctx.config.botName,
  team_id: ctx.config.teamId,
  user_id: ctx.config.botUserId,
  bot_id: ctx.config.botId,
  is_enterprise_install: false,
});

/** users.info → `{ok, user:{id, team_id, name, real_name, profile, is_bot, …}}`; unknown ids are `user_not_found`. */
export const usersInfo: MethodHandler = (ctx, args) => {
  const id = stringArg(args, 'user');
  const isBot = id === ctx.config.botUserId;
  const user = id ? ctx.config.users[id] : undefined;
  if (!id || (!user && !isBot)) return fail('user_not_found');
  const name = user?.name ?? ctx.config.botName;
  const realName = user?.real_name ?? ctx.config.botName;
  const displayName = user?.display_name ?? '';
  return {
    ok: true,
    user: {
      id,
      team_id: ctx.config.teamId,
      name,
      deleted: false,
      real_name: realName,
      tz: user?.tz ?? 'Europe/Amsterdam',
      profile: {
        real_name: realName,
        real_name_normalized: realName,
        display_name: displayName,
        display_name_normalized: displayName,
        team: ctx.config.teamId,
        ...(isBot ? { bot_id: ctx.config.botId, api_app_id: ctx.config.appId } : {}),
      },
      is_admin: false,
      is_owner: false,
      is_bot: isBot || user?.is_bot === true,
      is_app_user: false,
      updated: 1700000000,
    },
  };
};

/**
 * reactions.add → `{ok:true}`. Errors from the method reference:
 * `already_reacted` ("already has the user/reaction combination"),
 * `message_not_found`, `no_item_specified`, `invalid_name`.
 */
export const addReaction: MethodHandler = (ctx, args) => {
  const channelArg = stringArg(args, 'channel');
  const ts = stringArg(args, 'timestamp');
  if (!channelArg || !ts) return fail('no_item_specified');
  const channel = resolveChannel(ctx, channelArg);
  if (!channel) return fail('channel_not_found');
  const name = stringArg(args, 'name');
  if (!name || name.includes(' ')) return fail('invalid_name');
  const msg = messageAt(ctx.state, channel, ts);
  if (!msg) return fail('message_not_found');
  const user = ctx.config.botUserId;
  if (ctx.state.reactions.some((r) => r.channel === channel && r.ts === ts && r.name === name && r.user === user)) {
    return fail('already_reacted');
  }
  ctx.state.reactions.push({ channel, ts, name, user });
  msg.reactions ??= [];
  const existing = msg.reactions.find((r) => r.name === name);
  if (existing) {
    existing.users.push(user);
    existing.count += 1;
  } else {
    msg.reactions.push({ name, users: [user], count: 1 });
  }
  return { ok: true };
};

/**
 * apps.connections.open (app-level token) → `{ok, url}`, a single-use
 * WebSocket URL (method reference example: "wss://…/link/?ticket=…&app_id=…").
 */
export const openConnection: MethodHandler = (ctx) => ({ ok: true, url: ctx.openSocketUrl() });
