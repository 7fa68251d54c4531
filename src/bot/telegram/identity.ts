import type { Api } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { IdentityCache } from '../kit/identity-cache.js';

/**
 * Who the bot is in Telegram (`getMe`), fetched once and kept (grammY's
 * `bot.init()` would retry forever inside one request instead).
 */
export class TelegramIdentity extends IdentityCache<UserFromGetMe> {
  constructor(api: Api) {
    super(() => api.getMe());
  }
}
