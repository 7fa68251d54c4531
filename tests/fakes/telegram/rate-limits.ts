/** The budgets the fake enforces, as Telegram states them (core.telegram.org/bots/faq). */
export interface TelegramRates {
  /** "avoid sending more than one message per second" in one chat. Default 1. */
  perChatPerSecond: number;
  /** "your bot will not be able to send more than 20 messages per minute to the same group". Default 20. */
  perGroupPerMinute: number;
  /** "not more than about 30 messages per second" overall. Default 30. */
  overallPerSecond: number;
}

export const DEFAULT_RATES: TelegramRates = { perChatPerSecond: 1, perGroupPerMinute: 20, overallPerSecond: 30 };

/** Decides whether a new message may be sent now. */
export interface SendLimiter {
  /** Records the send and returns 0, or returns `retry_after` seconds (≥ 1) and records nothing. */
  admit(chatId: number, isGroup: boolean, now?: number): number;
  reset(): void;
}

/**
 * Sliding windows over the messages actually sent: per chat (1 s), per group
 * (60 s) and overall (1 s). Telegram does not publish its algorithm; a sliding
 * window is the strict reading of "N per second/minute", so a bot that passes
 * here keeps the documented limits. `retry_after` is when the oldest send in
 * the full window leaves it, rounded up to whole seconds as Telegram gives it.
 */
export function createSendLimiter(rates: TelegramRates | false): SendLimiter {
  const perChat = new Map<number, number[]>();
  const overall: number[] = [];
  const wait = (times: readonly number[], windowMs: number, max: number, now: number): number => {
    const inWindow = times.filter((t) => t > now - windowMs);
    if (inWindow.length < max) return 0;
    return Math.max(1, Math.ceil((inWindow[inWindow.length - max]! + windowMs - now) / 1000));
  };
  const prune = (times: number[], windowMs: number, now: number) => {
    while (times.length && times[0]! <= now - windowMs) times.shift();
  };
  return {
    admit(chatId, isGroup, now = Date.now()) {
      if (rates === false) return 0;
      const chat = perChat.get(chatId) ?? [];
      perChat.set(chatId, chat);
      prune(chat, 60_000, now);
      prune(overall, 1000, now);
      const after = Math.max(
        wait(chat, 1000, rates.perChatPerSecond, now),
        isGroup ? wait(chat, 60_000, rates.perGroupPerMinute, now) : 0,
        wait(overall, 1000, rates.overallPerSecond, now),
      );
      if (after > 0) return after;
      chat.push(now);
      overall.push(now);
      return 0;
    },
    reset() {
      perChat.clear();
      overall.length = 0;
    },
  };
}
