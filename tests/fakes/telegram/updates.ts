import { ApiError, type FakeState } from './fake-state.js';

export type TelegramUpdate = Record<string, unknown> & { update_id: number };

export interface WebhookSettings {
  url: string;
  secret_token?: string;
  allowed_updates?: string[];
  max_connections: number;
}

interface Pending {
  update: TelegramUpdate;
  confirmed: (status: number) => void;
}

interface Waiter {
  offset: number | undefined;
  limit: number;
  allowed: string[] | undefined;
  respond: (result: TelegramUpdate[] | ApiError) => void;
}


/**
 * The update side of the Bot API: updates wait here until the bot fetches and
 * confirms them with getUpdates (`offset` = last update_id + 1), or are POSTed
 * to the webhook with the `X-Telegram-Bot-Api-Secret-Token` header. As on
 * Telegram, getUpdates is refused (409) while a webhook is set, and a second
 * getUpdates ends the one held open (409 for it).
 */
export class UpdateFeed {
  webhook: WebhookSettings | undefined;
  private pending: Pending[] = [];
  private waiter: Waiter | undefined;
  private nextId = 700_000_001;

  constructor(
    private readonly state: FakeState,
    private readonly changed: () => void,
    /** How long a polling delivery waits for the bot to confirm the update (an `offset` past it). */
    private readonly confirmTimeoutMs: number,
  ) {}

  newUpdateId(): number { return this.nextId++; }

  /**
   * Hands an update to the bot. Webhook: resolves with the bot's HTTP status.
   * Polling: resolves with 200 once the bot confirmed it (0 if it never did).
   */
  async deliver(update: TelegramUpdate): Promise<number> {
    if (update.update_id >= this.nextId) this.nextId = update.update_id + 1;
    const record = { update_id: update.update_id, via: this.webhook ? 'webhook' as const : 'polling' as const, update };
    this.state.deliveries.push(record);
    this.changed();
    const status = this.webhook ? await this.post(this.webhook, update) : await this.queue(update);
    Object.assign(record, { status });
    this.changed();
    return status;
  }

  async getUpdates(params: Record<string, unknown>, onClose: (cb: () => void) => void): Promise<TelegramUpdate[]> {
    if (this.webhook) throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    const offset = params.offset === undefined ? undefined : Number(params.offset);
    const limit = Math.min(100, Math.max(1, Number(params.limit ?? 100)));
    const timeout = Math.max(0, Number(params.timeout ?? 0));
    const allowed = Array.isArray(params.allowed_updates) && params.allowed_updates.length ? (params.allowed_updates as string[]) : undefined;
    if (offset !== undefined) this.confirm(offset);
    if (this.waiter) {
      this.state.conflictCount += 1;
      this.waiter.respond(new ApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'));
      this.waiter = undefined;
    }
    const ready = this.available(offset, limit, allowed);
    if (ready.length || timeout === 0) return ready;
    return new Promise<TelegramUpdate[]>((resolve, reject) => {
      const waiter: Waiter = {
        offset, limit, allowed,
        respond: (result) => {
          clearTimeout(timer);
          if (this.waiter === waiter) this.waiter = undefined;
          if (result instanceof ApiError) reject(result);
          else resolve(result);
        },
      };
      const timer = setTimeout(() => waiter.respond([]), timeout * 1000);
      this.waiter = waiter;
      // The client gave up (aborted the request): nobody is listening any more.
      onClose(() => { clearTimeout(timer); if (this.waiter === waiter) this.waiter = undefined; });
    });
  }

  setWebhook(params: Record<string, unknown>): true {
    const url = String(params.url ?? '');
    if (!url) { this.webhook = undefined; return true; }
    if (!/^https?:\/\//.test(url)) throw new ApiError(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
    const secret = params.secret_token === undefined ? undefined : String(params.secret_token);
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) throw new ApiError(400, 'Bad Request: secret token contains unallowed characters');
    if (params.drop_pending_updates) this.drop();
    this.webhook = {
      url,
      ...(secret ? { secret_token: secret } : {}),
      ...(Array.isArray(params.allowed_updates) ? { allowed_updates: params.allowed_updates as string[] } : {}),
      max_connections: Number(params.max_connections ?? 40),
    };
    this.waiter?.respond(new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"));
    return true;
  }

  deleteWebhook(params: Record<string, unknown>): true {
    this.webhook = undefined;
    if (params.drop_pending_updates) this.drop();
    return true;
  }

  webhookInfo(): Record<string, unknown> {
    return {
      url: this.webhook?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.pending.length,
      ...(this.webhook ? { max_connections: this.webhook.max_connections } : {}),
      ...(this.webhook?.allowed_updates ? { allowed_updates: this.webhook.allowed_updates } : {}),
    };
  }

  /** Ends a held getUpdates (the fake is closing). */
  close(): void {
    this.waiter?.respond([]);
    this.drop();
  }

  private queue(update: TelegramUpdate): Promise<number> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(0), this.confirmTimeoutMs);
      const done = (status: number) => { clearTimeout(timer); resolve(status); };
      this.pending.push({ update, confirmed: done });
      this.pending.sort((a, b) => a.update.update_id - b.update.update_id);
      const w = this.waiter;
      if (w) {
        const ready = this.available(w.offset, w.limit, w.allowed);
        if (ready.length) w.respond(ready);
      }
    });
  }

  /** Updates below `offset` are confirmed: Telegram forgets them. */
  private confirm(offset: number): void {
    const keep: Pending[] = [];
    for (const p of this.pending) {
      if (p.update.update_id < offset) p.confirmed(200);
      else keep.push(p);
    }
    this.pending = keep;
    this.changed();
  }

  private available(offset: number | undefined, limit: number, allowed: string[] | undefined): TelegramUpdate[] {
    return this.pending
      .filter((p) => offset === undefined || p.update.update_id >= offset)
      .filter((p) => !allowed || Object.keys(p.update).some((k) => allowed.includes(k)))
      .slice(0, limit)
      .map((p) => p.update);
  }

  private drop(): void {
    for (const p of this.pending) p.confirmed(0);
    this.pending = [];
  }

  private async post(webhook: WebhookSettings, update: TelegramUpdate): Promise<number> {
    try {
      const res = await fetch(webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(webhook.secret_token ? { 'x-telegram-bot-api-secret-token': webhook.secret_token } : {}) },
        body: JSON.stringify(update),
      });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 0;
    }
  }
}
