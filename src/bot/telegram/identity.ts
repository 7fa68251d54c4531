import type { Api } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';

/**
 * Who the bot is in Telegram (`getMe`), fetched once and kept. A failed call
 * is not cached: the next update tries again (grammY's `bot.init()` would
 * retry forever inside one request instead).
 */
export class TelegramIdentity {
  private known: UserFromGetMe | undefined;
  private pending: Promise<UserFromGetMe> | undefined;

  constructor(private readonly api: Api) {}

  get(): Promise<UserFromGetMe> {
    if (this.known) return Promise.resolve(this.known);
    this.pending ??= this.api.getMe().then(
      (me) => { this.known = me; return me; },
      (err: unknown) => { this.pending = undefined; throw err; },
    );
    return this.pending;
  }

  /** The identity once known (after the first successful `get()`). */
  get current(): UserFromGetMe | undefined { return this.known; }
}
