import { Routes, type REST } from 'discord.js';
import { IdentityCache } from '../kit/identity-cache.js';

export interface DiscordIdentityInfo { botUserId: string; username: string }

/**
 * Who the bot is on Discord: from the gateway's READY on the replica that
 * holds the gateway (`set`), or `GET /users/@me` elsewhere.
 */
export class DiscordIdentity extends IdentityCache<DiscordIdentityInfo> {
  constructor(rest: REST) {
    super(async () => {
      const u = await (rest.get(Routes.user('@me')) as Promise<{ id: string; username: string }>);
      return { botUserId: u.id, username: u.username };
    });
  }

  /** The bot user as READY announced it. */
  setUser(user: { id: string; username: string }): void {
    this.set({ botUserId: user.id, username: user.username });
  }

  /** The id, if known already (no call). */
  peek(): string | undefined {
    return this.current?.botUserId;
  }
}
