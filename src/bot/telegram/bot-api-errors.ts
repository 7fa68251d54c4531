import { GrammyError } from 'grammy';

/**
 * The description of a Bot API error (`{ok:false, error_code, description}`),
 * or undefined when the call never got an answer.
 */
export function telegramErrorOf(err: unknown): { code: number; description: string; retryAfter?: number } | undefined {
  if (!(err instanceof GrammyError)) return undefined;
  return { code: err.error_code, description: err.description, ...(err.parameters.retry_after !== undefined ? { retryAfter: err.parameters.retry_after } : {}) };
}

/** The person never pressed Start in a private chat with the bot, blocked it, or is gone. */
export function cannotMessagePrivately(err: unknown): boolean {
  const e = telegramErrorOf(err);
  return e?.code === 403 && /can't initiate conversation|blocked by the user|user is deactivated/i.test(e.description);
}
