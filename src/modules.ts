import { discordMessenger } from './bot/discord/module.js';
import { sandboxMessenger } from './bot/sandbox/module.js';
import { slackMessenger } from './bot/slack/module.js';
import { telegramMessenger } from './bot/telegram/module.js';
import { apiChannel } from './channels/api/module.js';
import { telegramChannel } from './channels/telegram/module.js';
import { wechatChannel } from './channels/wechat/module.js';
import { webchatChannel } from './channels/webchat/module.js';
import { whatsappChannel } from './channels/whatsapp/module.js';
import type { Registry } from './config/registry.js';

/** The messengers and customer channels threaddesk ships: a new one is a folder and a line here. */
export const MODULES: Registry = {
  messengers: [slackMessenger, telegramMessenger, discordMessenger],
  channels: [whatsappChannel, apiChannel, telegramChannel, wechatChannel, webchatChannel],
};

/**
 * `npm run demo`'s registry: the shipped modules plus the sandbox messenger,
 * whose "platform" is a page the bot serves (src/bot/sandbox). First, so the
 * default queue lives there. Never what `npm start` loads.
 */
export const SANDBOX_MODULES: Registry = {
  messengers: [sandboxMessenger, ...MODULES.messengers],
  channels: MODULES.channels,
};
