import { Client, Events, Options } from 'discord.js';
import { GATEWAY_INTENTS } from './setup/permissions.js';
import type { Logger } from '../../runtime/logger.js';

/** A raw gateway dispatch (`op: 0`) as discord.js emits it on `Events.Raw`. */
export interface GatewayPacket { t: string | null; s?: number | null; d: unknown }

export interface GatewayOptions {
  token: string;
  /** REST base (`DISCORD_API_URL`); the gateway URL comes from `GET /gateway/bot`. */
  apiUrl: string;
  log: Logger;
  /** Every dispatch, in the order Discord sent it. */
  onPacket(packet: GatewayPacket): void;
}

/** Close codes after which discord.js does not reconnect by itself, with what the operator must do. */
const FATAL_CLOSE_FIXES: Record<number, string> = {
  4004: 'Discord refused the bot token on the gateway (4004). Copy the token again from the Developer Portal (Bot → Reset Token) into DISCORD_TOKEN and restart.',
  4013: 'Discord refused the gateway intents (4013); this is a bug in threaddesk, please report it.',
  4014: 'Discord refused the Message Content intent (4014). In the Developer Portal, open the app → Bot → Privileged Gateway Intents and turn on MESSAGE CONTENT INTENT.',
};

/** After a fatal close or a failed login, the next attempt waits this long (doubling up to a minute). */
const RETRY_MS = 2000;
const RETRY_MAX_MS = 60_000;

/**
 * The gateway connection of the leader replica: a discord.js client with
 * only the intents the desk needs (Guilds for threads, GuildMessages and the
 * privileged MessageContent for thread replies, GuildMessageTyping for agents'
 * typing; platform-facts.md §5), no
 * message cache (the desk reads raw dispatches), a fresh client for each
 * leadership term. discord.js reconnects and resumes by itself; a login that
 * fails or a fatal close is retried with a new client while still wanted.
 */
export class Gateway {
  private client: Client | undefined;
  private wanted = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private delay = RETRY_MS;
  /** Connected and receiving: between READY/RESUMED and a close. */
  ready = false;

  constructor(private readonly o: GatewayOptions) {}

  connect(): Promise<void> {
    this.wanted = true;
    if (this.client) return Promise.resolve();
    return this.attempt();
  }

  async disconnect(): Promise<void> {
    this.wanted = false;
    this.ready = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const c = this.client;
    this.client = undefined;
    if (c) await c.destroy().catch((err: unknown) => this.o.log.warn({ err: String(err) }, 'discord client did not close cleanly'));
  }

  private async attempt(): Promise<void> {
    const { log } = this.o;
    const client = new Client({
      intents: GATEWAY_INTENTS,
      rest: { api: this.o.apiUrl, timeout: 10_000 },
      makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0, ReactionManager: 0, PresenceManager: 0 }),
    });
    this.client = client;
    client.on(Events.Raw, (packet: GatewayPacket) => {
      if (packet.t === 'READY' || packet.t === 'RESUMED') { this.ready = true; this.delay = RETRY_MS; }
      try { this.o.onPacket(packet); } catch (err) { log.error({ err: String(err), t: packet.t }, 'discord dispatch handler threw'); }
    });
    client.on(Events.ShardReconnecting, () => { this.ready = false; log.info('discord gateway connection lost; discord.js is resuming it'); });
    client.on(Events.ShardError, (err) => log.warn({ err: String(err) }, 'discord gateway socket error'));
    client.on(Events.Error, (err) => log.warn({ err: String(err) }, 'discord client error'));
    client.on(Events.ShardDisconnect, (ev: { code: number }) => {
      this.ready = false;
      log.error({ code: ev.code }, FATAL_CLOSE_FIXES[ev.code] ?? `Discord closed the gateway for good (code ${ev.code}); reconnecting with a new session.`);
      if (this.client === client) { this.client = undefined; void client.destroy().catch(() => {}); this.retry(); }
    });
    try {
      await client.login(this.o.token);
    } catch (err) {
      const e = err as { code?: string; status?: number; message?: string };
      log.error({ err: e.message ?? String(err), code: e.code }, e.code === 'TokenInvalid' || e.status === 401
        ? 'Discord refused DISCORD_TOKEN (401). Copy the bot token again from the Developer Portal (Bot → Reset Token) and restart.'
        : 'cannot connect to the Discord gateway (GET /gateway/bot or the socket failed); retrying. Check DISCORD_API_URL and the network.');
      if (this.client === client) { this.client = undefined; this.retry(); }
    }
  }

  private retry(): void {
    if (!this.wanted) return;
    const wait = this.delay;
    this.delay = Math.min(this.delay * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => { if (this.wanted && !this.client) void this.attempt(); }, wait);
  }
}
