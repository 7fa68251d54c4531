import { Api, GrammyError } from 'grammy';
import { reasonOf, type DoctorContext, type Finding } from '../../doctor/finding.js';
import { UPDATES } from './polling-receiver.js';
import { telegramClientOptions } from './client-options.js';

export interface TelegramDoctorSettings { botToken: string; webhookSecret?: string | undefined; apiRoot: string }

/**
 * The admin rights the bot uses in the agents' group, each with why (Bot API
 * ChatAdministratorRights). Being an administrator at all also lets it read
 * every message of the group whatever its privacy mode.
 */
export const TELEGRAM_ADMIN_RIGHTS: Readonly<Record<string, string>> = {
  can_manage_topics: 'open a topic per conversation (createForumTopic)',
};

/**
 * Checks a Telegram install: the token (getMe), each agents' chat (getChat:
 * a supergroup with Topics on), the bot's rights there (getChatMember:
 * an administrator that may manage topics), and in webhook mode that a
 * webhook is set to /telegram/webhook (getWebhookInfo).
 */
export async function checkTelegram(s: TelegramDoctorSettings, ctx: DoctorContext): Promise<Finding[]> {
  const part = 'Telegram';
  const api = new Api(s.botToken, telegramClientOptions(s.apiRoot, Math.ceil(ctx.timeoutMs / 1000)));
  let me;
  try {
    me = await api.getMe();
  } catch (err) {
    return [{ part, ok: false, said: `the bot token was refused (${reasonOf(err)})`, fix: 'Copy the token @BotFather gave (/mybots → your bot → API Token) into TELEGRAM_BOT_TOKEN, and check TELEGRAM_API_ROOT.' }];
  }
  const found: Finding[] = [{ part, ok: true, said: `the bot token works: @${me.username}` }];
  for (const chat of ctx.channels) found.push(...await checkChat(api, chat, me.id, me.username, me.can_read_all_group_messages));
  if (s.webhookSecret) found.push(await checkWebhook(api));
  return found;
}

async function checkChat(api: Api, chatId: string, botId: number, username: string, readsAll: boolean): Promise<Finding[]> {
  const part = `Telegram chat ${chatId}`;
  let chat;
  try {
    chat = await api.getChat(chatId);
  } catch (err) {
    const missing = err instanceof GrammyError && err.error_code === 400;
    return [{ part, ok: false, said: missing ? 'the bot cannot see this chat' : `getChat failed (${reasonOf(err)})`, fix: `Add @${username} to the agents' group, then set TELEGRAM_CHAT_ID (or the queue's telegram_chat_id) to the group's id, which starts with -100.` }];
  }
  const title = 'title' in chat ? `"${chat.title}"` : 'this chat';
  if (chat.type !== 'supergroup' || !chat.is_forum) {
    return [{ part, ok: false, said: `${title} is not a forum supergroup (Topics off), so conversations cannot each get a topic`, fix: 'In Telegram: the group → Edit → turn Topics on (the group becomes a supergroup; its id changes to -100…: update TELEGRAM_CHAT_ID).' }];
  }
  const found: Finding[] = [{ part, ok: true, said: `${title} is a supergroup with Topics on` }];
  try {
    const member = await api.getChatMember(chatId, botId);
    if (member.status !== 'administrator' && member.status !== 'creator') {
      found.push({ part, ok: false, said: `@${username} is not an administrator there${readsAll ? '' : ', and with privacy mode on it sees only commands'}`, fix: `Group → Edit → Administrators → Add Admin → @${username}, with ${Object.keys(TELEGRAM_ADMIN_RIGHTS).map(rightName).join(', ')}.` });
    } else if (member.status === 'administrator') {
      const rights = new Map<string, unknown>(Object.entries(member));
      const lacking = Object.keys(TELEGRAM_ADMIN_RIGHTS).filter((r) => rights.get(r) !== true);
      found.push(lacking.length
        ? { part, ok: false, said: `@${username} is an administrator without ${lacking.map((r) => `${rightName(r)} (to ${TELEGRAM_ADMIN_RIGHTS[r]})`).join('; ')}`, fix: `Group → Edit → Administrators → @${username}: turn on ${lacking.map(rightName).join(', ')}.` }
        : { part, ok: true, said: `@${username} is an administrator with the rights threaddesk uses` });
    }
  } catch (err) {
    found.push({ part, ok: false, said: `getChatMember failed (${reasonOf(err)})`, fix: 'Run the doctor again; if it stays, check that the bot is still in the group.' });
  }
  return found;
}

/** Webhook mode (TELEGRAM_WEBHOOK_SECRET set): Telegram must know where to post, and say nothing is failing there. */
async function checkWebhook(api: Api): Promise<Finding> {
  const part = 'Telegram webhook';
  const set = `call setWebhook with url=https://<public host>/telegram/webhook, secret_token=<TELEGRAM_WEBHOOK_SECRET> and allowed_updates=${JSON.stringify(UPDATES)} (docs/setup-telegram.md), or unset TELEGRAM_WEBHOOK_SECRET to poll`;
  try {
    const info = await api.getWebhookInfo();
    if (!info.url) return { part, ok: false, said: 'webhook mode, but no webhook is set, so no update arrives', fix: `${set[0]!.toUpperCase()}${set.slice(1)}.` };
    if (!new URL(info.url).pathname.endsWith('/telegram/webhook')) return { part, ok: false, said: `the webhook points at ${info.url}, not at /telegram/webhook`, fix: `${set[0]!.toUpperCase()}${set.slice(1)}.` };
    // Telegram keeps the last allowed_updates given; without one it sends every kind but a few (chat_member…).
    const missing = info.allowed_updates ? UPDATES.filter((u) => !info.allowed_updates!.includes(u)) : [];
    if (missing.length) return { part, ok: false, said: `the webhook's allowed_updates leave out ${missing.join(', ')}, so those never arrive`, fix: `${set[0]!.toUpperCase()}${set.slice(1)}.` };
    if (info.last_error_message) return { part, ok: false, said: `Telegram's last delivery to ${info.url} failed: ${info.last_error_message} (${info.pending_update_count} updates waiting)`, fix: 'Make the URL reachable from the internet over HTTPS on port 443, 80, 88 or 8443, with the same secret as TELEGRAM_WEBHOOK_SECRET.' };
    return { part, ok: true, said: `set to ${info.url}` };
  } catch (err) {
    return { part, ok: false, said: `getWebhookInfo failed (${reasonOf(err)})`, fix: 'Run the doctor again; if it stays, check TELEGRAM_API_ROOT and the network.' };
  }
}

/** `can_manage_topics` as Telegram's admin screen names it. */
function rightName(right: string): string {
  return ({ can_manage_topics: '"Manage Topics"' } as Record<string, string>)[right] ?? right;
}
