import { ApiError, type FakeChat, type FakeUser } from './fake-state.js';

/** The bot's standing in the group, as getChatMember answers it (Bot API ChatMemberAdministrator / ChatMemberMember). */
export type BotStanding = { status: 'administrator'; rights: Partial<Record<AdminRight, boolean>> } | { status: 'member' };

export type AdminRight = 'can_manage_topics' | 'can_delete_messages' | 'can_pin_messages' | 'can_manage_chat' | 'can_restrict_members' | 'can_invite_users';

/** Rights a bot admin gets when its options say nothing: everything threaddesk uses. */
export const FULL_RIGHTS: Record<AdminRight, boolean> = {
  can_manage_topics: true, can_delete_messages: true, can_pin_messages: true, can_manage_chat: true, can_restrict_members: false, can_invite_users: true,
};

interface ChatContext { group: FakeChat; bot: FakeUser; users: Map<number, FakeUser>; botStanding: BotStanding }

/** getChat → ChatFullInfo: the group (`type`, `is_forum`) or a known user's private chat; otherwise 400 "chat not found". */
export function getChat(ctx: ChatContext, params: Record<string, unknown>): Record<string, unknown> {
  const id = Number(params.chat_id);
  if (id === ctx.group.id) {
    // Telegram leaves `is_forum` out for a group without Topics.
    const { is_forum: forum, ...chat } = ctx.group;
    return { ...chat, ...(forum ? { is_forum: true } : {}), accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: {} };
  }
  const user = ctx.users.get(id);
  if (user && !user.is_bot) return { id, type: 'private', first_name: user.first_name, ...(user.username ? { username: user.username } : {}), accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: {} };
  throw new ApiError(400, 'Bad Request: chat not found');
}

/**
 * getChatMember in the group: the bot as configured (`administrator` with
 * its `can_*` rights, or a plain `member`), people as members. Bot API
 * ChatMemberAdministrator carries every `can_*` field, true or false.
 */
export function getChatMember(ctx: ChatContext, params: Record<string, unknown>): Record<string, unknown> {
  if (Number(params.chat_id) !== ctx.group.id) throw new ApiError(400, 'Bad Request: chat not found');
  const userId = Number(params.user_id);
  if (userId === ctx.bot.id) {
    const s = ctx.botStanding;
    if (s.status === 'member') return { status: 'member', user: ctx.bot };
    const rights = Object.fromEntries(Object.keys(FULL_RIGHTS).map((k) => [k, s.rights[k as AdminRight] ?? false]));
    return { status: 'administrator', user: ctx.bot, can_be_edited: false, is_anonymous: false, can_change_info: false, can_post_stories: false, can_edit_stories: false, can_delete_stories: false, can_promote_members: false, can_manage_video_chats: false, ...rights };
  }
  const user = ctx.users.get(userId);
  if (!user) throw new ApiError(400, 'Bad Request: user not found');
  return { status: 'member', user };
}
