import { z } from 'zod';
import { defineMessenger } from '../messenger-module.js';
import { TELEGRAM_BUDGETS } from './budgets.js';

const CHAT_ID = /^-?\d+$/;

/** Telegram: a grammY bot in the agents' supergroup, one forum topic per conversation; webhook or long polling. */
export const telegramMessenger = defineMessenger({
  id: 'telegram',
  label: 'Telegram',
  env: {
    TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'a bot token looks like 123456:ABC-DEF… (from @BotFather)').optional(),
    TELEGRAM_CHAT_ID: z.string().regex(CHAT_ID, 'a chat id such as -1001234567890').optional(),
    TELEGRAM_WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, '1–256 characters of A-Z, a-z, 0-9, _ and - (Telegram\'s rule for secret_token)').optional(),
    TELEGRAM_API_ROOT: z.url({ protocol: /^https?$/ }).default('https://api.telegram.org'),
  },
  howToEnable: 'TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID',
  read({ given, values: e }, problems) {
    const mentioned = ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_CHAT_ID', 'TELEGRAM_WEBHOOK_SECRET'].some((k) => given[k] !== undefined);
    if (!mentioned) return { mentioned };
    if (given.TELEGRAM_BOT_TOKEN === undefined) problems.push('TELEGRAM_BOT_TOKEN is missing. Create a bot with @BotFather and copy its token.');
    if (given.TELEGRAM_CHAT_ID === undefined) problems.push('TELEGRAM_CHAT_ID is missing: the agents\' supergroup (forum topics on, the bot an admin who can manage topics). Its id starts with -100.');
    if (!e.TELEGRAM_BOT_TOKEN || !e.TELEGRAM_CHAT_ID || !e.TELEGRAM_API_ROOT) return { mentioned };
    return { mentioned, settings: { botToken: e.TELEGRAM_BOT_TOKEN, chatId: e.TELEGRAM_CHAT_ID, webhookSecret: e.TELEGRAM_WEBHOOK_SECRET, apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, '') } };
  },
  queueChannel: { key: 'telegram_chat_id', schema: z.string().regex(CHAT_ID, 'a chat id such as -1001234567890'), defaultOf: (s) => s.chatId },
  userIds: { pattern: /^[A-Za-z0-9_-]+$/, example: 'telegram:123456789 (the numeric user id)' },
  budgets: TELEGRAM_BUDGETS,
  // Telegram's keys were `telegram-topic:…`, `telegram-header:…` and `telegram-handle:…` before adapters
  // had a namespace: keeping the prefix keeps an upgraded install's topic states and @handles.
  statePrefix: 'telegram-',
  // grammY loads only when Telegram is configured (or checked).
  create: async (settings, ctx) => (await import('./adapter.js')).createTelegramAdapter({ ...settings, ...ctx }),
  doctor: async (settings, ctx) => (await import('./doctor.js')).checkTelegram(settings, ctx),
});
