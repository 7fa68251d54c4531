import { DiscordAPIError, RateLimitError, RESTJSONErrorCodes } from 'discord.js';
import type { DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { Logger } from '../../runtime/logger.js';

/** How long a destination pauses after Discord refused the bot itself (a 401): it must not keep knocking. */
const AUTH_PAUSE_MS = 60_000;
/** How long a lane waits after a 403 (permissions): retrying sooner only adds invalid requests. */
const FORBIDDEN_PAUSE_MS = 60_000;

/** What an operator must do for errors that block deliveries. */
const OPERATOR_FIXES: Partial<Record<number, string>> = {
  [RESTJSONErrorCodes.MissingAccess]: 'The bot cannot see the channel: give its role View Channel, Send Messages, Send Messages in Threads, Create Public Threads and Add Reactions on DISCORD_CHANNEL_ID (or the queue\'s channel).',
  [RESTJSONErrorCodes.MissingPermissions]: 'The bot lacks a permission in the channel: give its role Send Messages, Send Messages in Threads, Create Public Threads, Read Message History and Add Reactions there.',
  [RESTJSONErrorCodes.UnknownChannel]: 'The channel does not exist or the bot is not in that server: check DISCORD_CHANNEL_ID (right-click the channel → Copy Channel ID with developer mode on) and that the bot was invited to DISCORD_GUILD_ID.',
};

/** Whether a REST error is Discord's answer with this JSON error code. */
export function hasCode(err: unknown, code: number): boolean {
  return err instanceof DiscordAPIError && err.code === code;
}

/**
 * A @discordjs/rest error as a delivery outcome. The REST client runs with
 * `rejectOnRateLimit`, so it never waits or retries by itself: a bucket it
 * knows is empty, a 429, and the global limit all come back here.
 *
 * - global limit → the whole Discord destination waits (`destinationWide`);
 * - a per-route bucket (learnt from `X-RateLimit-*`, or a 429 with
 *   `retry_after`) → this lane waits that long; other routes go on;
 * - 401 → every Discord delivery pauses a minute and the log says to fix
 *   DISCORD_TOKEN (Discord counts every 401 towards a temporary ban);
 * - 403 → the lane pauses a minute, with the permission to grant;
 * - refused content (400) → failed, never retried; 5xx and network → back off.
 */
export function classifyDiscordError(err: unknown, log: Logger, what: string): DeliveryOutcome {
  if (err instanceof RateLimitError) {
    const afterMs = Math.max(50, Math.ceil(err.retryAfter > 0 ? err.retryAfter : err.timeToReset));
    return { kind: 'retry', afterMs, reason: `${what}: rate limited (${err.global ? 'global' : `${err.method} ${err.route}`})`, destinationWide: err.global };
  }
  if (err instanceof DiscordAPIError) {
    if (err.status === 401) {
      log.error({ what }, 'Discord refused the bot token (401). Copy the token again from the Developer Portal (Bot → Reset Token), set DISCORD_TOKEN and restart.');
      return { kind: 'retry', afterMs: AUTH_PAUSE_MS, reason: `${what}: 401 unauthorized`, destinationWide: true };
    }
    const fix = OPERATOR_FIXES[Number(err.code)];
    if (err.status === 403 || fix) {
      log.error({ what, code: err.code, status: err.status }, fix ?? 'Discord refused the request (403): check the bot\'s permissions in the channel.');
      return { kind: 'retry', afterMs: FORBIDDEN_PAUSE_MS, reason: `${what}: ${err.status} ${err.code}` };
    }
    if (err.status >= 400 && err.status < 500) return { kind: 'failed', consumed: 1, reason: `${what}: ${err.status} ${err.code} ${err.message}` };
    return { kind: 'retry', reason: `${what}: ${err.status} ${err.code}` };
  }
  const e = err as { status?: number; message?: string; name?: string };
  return { kind: 'retry', reason: `${what}: ${e.name ?? 'error'} ${e.status ?? ''} ${e.message ?? String(err)}`.trim() };
}
