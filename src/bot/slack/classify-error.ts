import type { DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { Logger } from '../../runtime/logger.js';

/** Slack errors that no retry can fix: the content is refused, or the message it is about is gone. */
const CONTENT_ERRORS = new Set([
  'msg_too_long', 'no_text', 'invalid_blocks', 'invalid_blocks_format', 'too_many_attachments', 'invalid_attachments',
  'message_not_found', 'cant_update_message', 'thread_not_found', 'invalid_name',
  'user_not_found', 'users_not_found', 'user_disabled', 'cannot_dm_bot',
]);

/** What an operator must do for errors that block a whole destination. */
const OPERATOR_FIXES: Record<string, string> = {
  invalid_auth: 'SLACK_BOT_TOKEN is not valid: copy the Bot User OAuth Token (xoxb-…) again and restart.',
  not_authed: 'SLACK_BOT_TOKEN is missing from the request: check the configuration.',
  token_revoked: 'The bot token was revoked: reinstall the Slack app and set the new SLACK_BOT_TOKEN.',
  account_inactive: 'The bot user was deactivated: reinstall the Slack app.',
  channel_not_found: 'The channel does not exist or the bot cannot see it: check SLACK_CHANNEL and invite the bot (/invite @threaddesk).',
  not_in_channel: 'The bot is not in the channel: type /invite @threaddesk in it.',
  is_archived: 'The channel is archived: unarchive it or point SLACK_CHANNEL at another.',
  missing_scope: 'The Slack app lacks a scope: add chat:write, reactions:write, files:write, files:read, im:write and reinstall.',
};

/**
 * A @slack/web-api error as a delivery outcome. Rate limits wait for Slack's
 * `Retry-After` across the destination; network and server errors back off and
 * retry; configuration errors retry too (nothing is dropped while an operator
 * fixes a token or invites the bot) and log the fix; refused content fails.
 */
export function classifySlackError(err: unknown, consumed: number, log: Logger, method: string): DeliveryOutcome {
  const e = err as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; message?: string };
  if (e.code === 'slack_webapi_rate_limited_error') {
    return { kind: 'retry', afterMs: Math.max(1, e.retryAfter ?? 1) * 1000, reason: `${method}: rate limited`, destinationWide: true };
  }
  if (e.code === 'slack_webapi_platform_error') {
    const code = e.data?.error ?? 'unknown';
    if (CONTENT_ERRORS.has(code)) return { kind: 'failed', consumed, reason: `${method}: ${code}` };
    const fix = OPERATOR_FIXES[code];
    if (fix) log.error({ method, error: code }, fix);
    return { kind: 'retry', reason: `${method}: ${code}` };
  }
  return { kind: 'retry', reason: `${method}: ${e.code ?? 'error'} ${e.statusCode ?? ''} ${e.message ?? String(err)}`.trim() };
}
