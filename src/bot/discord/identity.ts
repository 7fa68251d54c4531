import { Routes, type REST } from 'discord.js';

export interface DiscordIdentityInfo { botUserId: string; username: string }

/**
 * Who the bot is on Discord: from the gateway's READY on the replica that
 * holds the gateway, or `GET /users/@me` elsewhere. A failed call is not
 * cached, so the next one tries again.
 */
export class DiscordIdentity {
  private known: DiscordIdentityInfo | undefined;
  private pending: Promise<DiscordIdentityInfo> | undefined;

  constructor(private readonly rest: REST) {}

  /** The bot user as READY announced it. */
  set(user: { id: string; username: string }): void {
    this.known = { botUserId: user.id, username: user.username };
  }

  /** The id, if known already (no call). */
  peek(): string | undefined {
    return this.known?.botUserId;
  }

  get(): Promise<DiscordIdentityInfo> {
    if (this.known) return Promise.resolve(this.known);
    this.pending ??= (this.rest.get(Routes.user('@me')) as Promise<{ id: string; username: string }>).then(
      (u) => { this.known = { botUserId: u.id, username: u.username }; return this.known; },
      (err: unknown) => { this.pending = undefined; throw err; },
    );
    return this.pending;
  }
}
