import type { Api } from 'grammy';
import type { Update as TelegramUpdate } from 'grammy/types';
import { telegramErrorOf } from './classify-error.js';
import type { AtomicPort } from '../../core/ports.js';
import type { Logger } from '../../runtime/logger.js';

export interface PollingOptions {
  api: Api;
  log: Logger;
  /** The one entry for updates (`bot.handleUpdate`). */
  handleUpdate: (update: TelegramUpdate) => Promise<void>;
  /** Resolves with the bot's id once known (names the lease). */
  botId: () => Promise<number>;
  /** With several replicas (Redis): only the holder of this lease polls. */
  lease?: { store: AtomicPort; owner: string };
  /** getUpdates long-poll timeout; short, so leadership and stop are noticed quickly. */
  timeoutSeconds?: number;
}

const LEASE_MS = 10_000;
const STANDBY_RETRY_MS = 1000;
/** An update that failed this often is skipped (logged), so one bad update cannot stop the desk. */
const MAX_ATTEMPTS = 3;
const UPDATES = ['message', 'callback_query'] as const;

/**
 * Long polling (`getUpdates`) when no webhook secret is configured. An update
 * is confirmed (the next `offset`) only after it was processed, so a crash
 * makes Telegram hand it out again (and the dedupe drops what was done).
 * With Redis, replicas elect one poller through a lease in the store; a
 * standby takes over when the lease expires or is released.
 */
export class TelegramPollingReceiver {
  private stopped = true;
  private loop: Promise<void> | undefined;
  private abort = new AbortController();
  private offset: number | undefined;
  private leading = false;
  private webhookCleared = false;
  private readonly failures = new Map<number, number>();

  constructor(private readonly o: PollingOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.abort = new AbortController();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    await this.loop;
    if (this.leading && this.offset !== undefined) {
      // Confirm what was processed, as grammY's bot.stop() does, so the next poller does not get it again.
      await this.o.api.getUpdates({ offset: this.offset, limit: 1, timeout: 0 }).catch(() => {});
    }
    if (this.leading && this.o.lease) await this.o.lease.store.compareAndDelete(await this.leaseKey(), this.o.lease.owner).catch(() => {});
    this.leading = false;
  }

  /** grammY types its signal with the `abort-controller` polyfill's class; Node's own works the same (node-fetch checks the shape). */
  private get signal(): Parameters<Api['getUpdates']>[1] {
    return this.abort.signal as unknown as Parameters<Api['getUpdates']>[1];
  }

  /** Whether this replica is the one polling now. */
  get isPolling(): boolean { return this.leading && !this.stopped; }

  private async run(): Promise<void> {
    let backoff = 500;
    while (!this.stopped) {
      try {
        if (!(await this.lead())) { await this.sleep(STANDBY_RETRY_MS); continue; }
        if (!this.webhookCleared) {
          // getUpdates is refused (409) while a webhook is set.
          await this.o.api.deleteWebhook({ drop_pending_updates: false }, this.signal);
          this.webhookCleared = true;
        }
        const updates = await this.o.api.getUpdates(
          { ...(this.offset !== undefined ? { offset: this.offset } : {}), timeout: this.o.timeoutSeconds ?? 2, limit: 100, allowed_updates: [...UPDATES] },
          this.signal,
        );
        for (const update of updates) {
          if (this.stopped) break;
          if (!(await this.process(update))) break;
          this.offset = update.update_id + 1;
        }
        backoff = 500;
      } catch (err) {
        if (this.stopped) break;
        const e = telegramErrorOf(err);
        if (e?.code === 409) this.log409(e.description);
        else this.o.log.warn({ err: String(err) }, 'telegram getUpdates failed; retrying');
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  /** True when the update is done with (processed, or given up on): the offset may move past it. */
  private async process(update: TelegramUpdate): Promise<boolean> {
    try {
      await this.o.handleUpdate(update);
      this.failures.delete(update.update_id);
      return true;
    } catch (err) {
      const n = (this.failures.get(update.update_id) ?? 0) + 1;
      this.failures.set(update.update_id, n);
      if (n >= MAX_ATTEMPTS) {
        this.failures.delete(update.update_id);
        this.o.log.error({ updateId: update.update_id, err: String(err), attempts: n }, 'telegram update failed repeatedly; skipped');
        return true;
      }
      this.o.log.warn({ updateId: update.update_id, err: String(err), attempt: n }, 'telegram update failed; it is fetched again');
      await this.sleep(500 * n);
      return false;
    }
  }

  /** Takes or renews the lease (always true without one). */
  private async lead(): Promise<boolean> {
    const lease = this.o.lease;
    if (!lease) { this.leading = true; return true; }
    const key = await this.leaseKey();
    const held = this.leading
      ? await lease.store.compareAndSet(key, lease.owner, lease.owner, LEASE_MS)
      : await lease.store.setIfAbsent(key, lease.owner, LEASE_MS);
    if (held && !this.leading) {
      this.o.log.info('this replica now polls Telegram (leader lease taken)');
      // Another poller may have confirmed updates meanwhile: start from what Telegram still holds.
      this.offset = undefined;
      this.webhookCleared = false;
    }
    if (!held && this.leading) this.o.log.warn('telegram polling lease lost to another replica; standing by');
    this.leading = held;
    return held;
  }

  private async leaseKey(): Promise<string> {
    return `lease:telegram-poller:${await this.o.botId()}`;
  }

  private log409(description: string): void {
    this.o.log.warn({ description }, /webhook/i.test(description)
      ? 'a Telegram webhook is set although TELEGRAM_WEBHOOK_SECRET is not: the bot removes it and polls; set the secret to use webhook mode instead'
      : 'another process polls Telegram with the same bot token: run one bot per token (with Redis, replicas elect one poller)');
    if (/webhook/i.test(description)) this.webhookCleared = false;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      const signal = this.abort.signal;
      function done() { clearTimeout(t); signal.removeEventListener('abort', done); resolve(); }
      signal.addEventListener('abort', done);
    });
  }
}
