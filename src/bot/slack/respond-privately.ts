import type { RespondFn } from '@slack/bolt';
import type { Logger } from '../../runtime/logger.js';

/** Slack takes up to 5 posts to one response_url, within 30 minutes of the command (platform-facts.md §4). */
const RESPONSE_URL_USES = 5;
const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;
/** A response_url that does not answer in this long is given up for the outbox. */
const RESPONSE_TIMEOUT_MS = 10_000;

/**
 * What an acknowledged slash command says to its caller afterwards: an
 * ephemeral message through the command's `response_url` (bolt's `respond`),
 * which works in any channel, also where the bot is not a member, while Slack
 * still takes it. After the fifth post, after 30 minutes, or once the URL
 * refused or did not answer, the words go through `fallback` (the outbox: an
 * ephemeral message, or a DM where that cannot be shown), so nothing said is lost.
 */
export function respondPrivately(respond: RespondFn, fallback: (text: string) => Promise<void>, log: Logger, now: () => number = Date.now): (text: string) => Promise<void> {
  const expiresAt = now() + RESPONSE_URL_LIFETIME_MS;
  let uses = 0;
  return async (text) => {
    if (uses < RESPONSE_URL_USES && now() < expiresAt) {
      uses += 1;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          respond({ response_type: 'ephemeral', text }),
          new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${RESPONSE_TIMEOUT_MS} ms`)), RESPONSE_TIMEOUT_MS); }),
        ]);
        return;
      } catch (err) {
        // A URL that refused once (expired, used up, unreachable) is not tried again.
        uses = RESPONSE_URL_USES;
        log.warn({ err: String(err) }, 'slack response_url refused a follow-up; the rest goes through the outbox (ephemeral or DM)');
      } finally {
        clearTimeout(timer);
      }
    }
    await fallback(text);
  };
}
