import { HttpError } from 'grammy';
import type { DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { Logger } from '../../runtime/logger.js';
import { cannotMessagePrivately, telegramErrorOf } from './bot-api-errors.js';

export { cannotMessagePrivately, telegramErrorOf } from './bot-api-errors.js';

/**
 * The topic is gone: deleted by someone ("message thread not found", the
 * error bots see after a topic deletion: anchors.md B4) or closed.
 */
export function isTopicGone(err: unknown): boolean {
  const e = telegramErrorOf(err);
  return e?.code === 400 && /message thread not found|TOPIC_DELETED|TOPIC_CLOSED|TOPIC_ID_INVALID/i.test(e.description);
}

/** The message to edit or react to no longer exists. */
export function isMessageGone(err: unknown): boolean {
  const e = telegramErrorOf(err);
  return e?.code === 400 && /message to (edit|react) not found|MESSAGE_ID_INVALID/i.test(e.description);
}

/** An edit that would change nothing (Telegram refuses it; the message already shows the state). */
export function isNotModified(err: unknown): boolean {
  const e = telegramErrorOf(err);
  return e?.code === 400 && /message is not modified/i.test(e.description);
}

/** A private message Telegram refused for good: the customer blocked the bot or is gone, or any 400 for the message. */
export function customerRefusal(err: unknown): { code: string; reason: string } | undefined {
  const e = telegramErrorOf(err);
  if (!e) return undefined;
  if (cannotMessagePrivately(err)) return { code: `${e.code} ${e.description}`, reason: 'the customer blocked the bot or deleted their account' };
  return e.code === 400 ? { code: `${e.code} ${e.description}`, reason: e.description } : undefined;
}

/** Errors that stop every delivery to the group until an operator acts, with what to do. */
const OPERATOR_FIXES: { match: RegExp; fix: string }[] = [
  { match: /^Unauthorized|^Not Found$/i, fix: 'TELEGRAM_BOT_TOKEN was refused: copy the token from @BotFather again (and check TELEGRAM_API_ROOT) and restart. Messages wait in the outbox meanwhile.' },
  { match: /chat not found/i, fix: 'The chat does not exist or the bot is not in it: check TELEGRAM_CHAT_ID (a supergroup id starts with -100) and add the bot to the group.' },
  { match: /kicked|not a member|bot is not a member/i, fix: 'The bot was removed from the supergroup: add it again as an admin who can manage topics.' },
  { match: /not enough rights|CHAT_ADMIN_REQUIRED|have no rights/i, fix: 'The bot lacks rights in the supergroup: make it an admin with "Manage topics" and "Send messages".' },
  { match: /not a forum/i, fix: 'Topics are off in the supergroup: turn on Topics in the group settings (the bot opens one topic per conversation).' },
];

/**
 * A grammY error as a delivery outcome. 429 waits for Telegram's
 * `retry_after` across the destination; network and server errors back off
 * and retry; configuration errors retry too (nothing is dropped while an
 * operator fixes a token or the bot's rights) and log the fix; content that
 * Telegram refuses fails.
 */
export function classifyTelegramError(err: unknown, consumed: number, log: Logger, method: string): DeliveryOutcome {
  const e = telegramErrorOf(err);
  if (!e) {
    const reason = err instanceof HttpError ? `${method}: ${err.message} ${String((err.error as Error | undefined)?.message ?? '')}`.trim() : `${method}: ${String(err)}`;
    return { kind: 'retry', reason };
  }
  const reason = `${method}: ${e.code} ${e.description}`;
  if (e.code === 429) return { kind: 'retry', afterMs: Math.max(1, e.retryAfter ?? 1) * 1000, reason, destinationWide: true };
  if (e.code >= 500) return { kind: 'retry', reason };
  const fix = OPERATOR_FIXES.find((f) => f.match.test(e.description));
  if (fix || e.code === 401 || e.code === 404) {
    log.error({ method, code: e.code, description: e.description }, fix?.fix ?? OPERATOR_FIXES[0]!.fix);
    return { kind: 'retry', reason };
  }
  return { kind: 'failed', consumed, reason };
}
