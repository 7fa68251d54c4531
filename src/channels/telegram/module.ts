import { defineChannel } from '../channel-module.js';
import { carriedTelegram } from './carried.js';
import { TELEGRAM_CUSTOMER_FILE_LIMITS } from './file-limits.js';

/**
 * Telegram customers write to the desk's bot in a private chat. The bot, its
 * webhook or polling and its sends are the Telegram messenger's (src/bot/telegram,
 * outbox items `via: 'telegram'`), so this module only names the channel's traits.
 */
export const telegramChannel = defineChannel({
  id: 'telegram',
  label: 'Telegram',
  env: {},
  read({ given }) {
    return given.TELEGRAM_BOT_TOKEN === undefined ? { mentioned: false } : { mentioned: true, settings: {} };
  },
  // Bots may answer a private chat at any time: no window.
  textLimit: 4096,
  // The bot edits and deletes its own private messages (editMessageText, deleteMessage): an agent's change reaches the customer.
  changesReplies: true,
  fileLimits: TELEGRAM_CUSTOMER_FILE_LIMITS,
  budgets: {},
  // Its private chats come in, and replies go out, through the messenger's bot: the composition root hands this side over.
  create: (_settings, ctx) => ({ routes: [], carried: carriedTelegram(ctx.desk, ctx.store, ctx.fetchAgentFile) }),
});
