import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Update as TelegramUpdate } from 'grammy/types';
import type { HttpRequest, HttpResponse } from '../../http/types.js';
import { text } from '../../http/types.js';
import type { Logger } from '../../runtime/logger.js';
import { jsonTooDeep } from '../../http/json-depth.js';
import { checkTelegramUpdate } from './check-update.js';

/** The envelope every update has; the rest is read where it is used. */
const updateSchema = z.looseObject({ update_id: z.number().int().nonnegative() });

/**
 * `POST /telegram/webhook` on the bot's own HTTP server. Checks
 * `X-Telegram-Bot-Api-Secret-Token` (the `secret_token` given to setWebhook)
 * in constant time before reading the body, refuses an update of a
 * malformed shape (400, see check-update.ts), hands the update to the one
 * entry (`bot.handleUpdate`), and answers only after processing finished:
 * every effect is in the outbox before Telegram hears 200, and an error
 * answers 500 so Telegram delivers the update again.
 */
export class TelegramWebhookReceiver {
  private warnedShape = false;
  private readonly expected: Buffer;

  constructor(
    secret: string,
    private readonly log: Logger,
    /** Resolves when the bot's identity is known; a rejection makes Telegram retry later (503). */
    private readonly ready: () => Promise<unknown>,
    private readonly handleUpdate: (update: TelegramUpdate) => Promise<void>,
  ) {
    this.expected = digest(secret);
  }

  async handle(req: HttpRequest): Promise<HttpResponse> {
    const given = req.headers['x-telegram-bot-api-secret-token'];
    const token = Array.isArray(given) ? given[0] : given;
    // Hashing first makes the comparison constant-time whatever the lengths.
    if (!token || !timingSafeEqual(digest(token), this.expected)) {
      this.log.warn({ requestId: req.requestId, hasSecret: Boolean(token) }, 'telegram webhook request with a missing or wrong secret token refused');
      return text(401, 'secret token is wrong');
    }
    if (jsonTooDeep(req.rawBody)) {
      this.log.warn({ requestId: req.requestId }, 'telegram webhook request nested too deep; refused');
      return text(400, 'nested too deep');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(req.rawBody.toString('utf8'));
    } catch {
      this.log.warn({ requestId: req.requestId }, 'telegram webhook request with an unreadable body');
      return text(400, 'unreadable body');
    }
    const envelope = updateSchema.safeParse(parsed);
    if (!envelope.success) {
      // 2xx: Telegram would otherwise send the same thing again for a day.
      if (!this.warnedShape) { this.warnedShape = true; this.log.warn({ requestId: req.requestId }, 'telegram webhook body is not an update; ignored (logged once)'); }
      return text(200, '');
    }
    const check = checkTelegramUpdate(envelope.data);
    if (check.kind === 'malformed') {
      this.log.warn({ requestId: req.requestId, problems: check.problems }, 'telegram update of a malformed shape refused');
      return text(400, 'malformed update');
    }
    if (check.kind === 'ignore') {
      this.log.debug({ requestId: req.requestId }, 'telegram update of a kind the desk does not listen to acknowledged');
      return text(200, '');
    }
    try {
      await this.ready();
    } catch (err) {
      this.log.warn({ err: String(err) }, 'telegram identity unknown (getMe failed); asking Telegram to retry');
      return text(503, 'not ready', { 'retry-after': '5' });
    }
    await this.handleUpdate(check.update);
    return text(200, '');
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
