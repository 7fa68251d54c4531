import type { Api } from 'grammy';
import type { Update as TelegramUpdate } from 'grammy/types';
import { telegramErrorOf } from './classify-error.js';
import { LeaderLease, type LeaseStore } from '../../runtime/leader-lease.js';
import type { Logger } from '../../runtime/logger.js';
import type { Metrics } from '../../runtime/metrics.js';
import { abortableSleep, describeFault, INBOUND_RETRY, retryWithBackoff, type RetryPolicy } from '../../runtime/retry-with-backoff.js';

export interface PollingOptions {
  api: Api;
  log: Logger;
  /** The one entry for updates (`bot.handleUpdate`). */
  handleUpdate: (update: TelegramUpdate) => Promise<void>;
  /** Resolves with the bot's id once known (names the lease). */
  botId: () => Promise<number>;
  /** With several replicas (Redis): only the holder of this lease polls. */
  lease?: LeaseStore & { owner: string };
  /** getUpdates long-poll timeout; short, so leadership and stop are noticed quickly. */
  timeoutSeconds?: number;
  /** How a failing update is retried (INBOUND_RETRY unless given; tests shorten it). */
  retry?: RetryPolicy;
  /** Counts updates given up on (`inbound_given_up_total`). */
  metrics?: Metrics;
}

const LEASE_MS = 10_000;
/** While one update is processed (or retried), the lease is renewed this often, so no standby takes over meanwhile. */
const HEARTBEAT_MS = 3000;
const STANDBY_RETRY_MS = 1000;
// edited_message: a customer's edit of a private message is shown in the thread.
export const UPDATES = ['message', 'edited_message', 'callback_query'] as const;

/**
 * Long polling (`getUpdates`) when no webhook secret is configured. An update
 * is confirmed (the next `offset`) only after it was processed, so a crash
 * makes Telegram hand it out again (and the dedupe drops what was done). A
 * failing update is retried with backoff, later ones waiting behind it, and
 * skipped only as a poison update under the policy of
 * `runtime/retry-with-backoff.ts` (a store outage is waited out, never
 * skipped). With Redis, replicas elect one poller through a lease in the
 * store, renewed while an update is processed; a standby takes over when the
 * lease expires or is released.
 */
export class TelegramPollingReceiver {
  private stopped = true;
  private loop: Promise<void> | undefined;
  private abort = new AbortController();
  private offset: number | undefined;
  private leading = false;
  private webhookCleared = false;
  private renewing = false;
  private readonly lease: LeaderLease | undefined;

  constructor(private readonly o: PollingOptions) {
    this.lease = o.lease && new LeaderLease({ ...o.lease, key: async () => `lease:telegram-poller:${await o.botId()}`, ttlMs: LEASE_MS });
  }

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
    if (this.leading) await this.lease?.release();
    this.leading = false;
  }

  /** grammY types its signal with the `abort-controller` polyfill's class; Node's own works the same (node-fetch checks the shape). */
  private get signal(): Parameters<Api['getUpdates']>[1] {
    return this.abort.signal as Parameters<Api['getUpdates']>[1];
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

  /**
   * True when the update is done with (processed, or given up on as poison):
   * the offset may move past it. False when polling stopped or the lease was
   * lost while it was retried: it is fetched again, here or by the new leader.
   */
  private async process(update: TelegramUpdate): Promise<boolean> {
    const type = Object.keys(update).find((k) => k !== 'update_id') ?? 'unknown';
    const lost = new AbortController();
    const heartbeat = this.lease ? setInterval(() => void this.renewWhileBusy(lost), HEARTBEAT_MS) : undefined;
    try {
      const outcome = await retryWithBackoff(() => this.o.handleUpdate(update), {
        policy: this.o.retry ?? INBOUND_RETRY,
        signal: AbortSignal.any([this.abort.signal, lost.signal]),
        onFailure: (err, attempt, retryInMs) => this.o.log.warn({ updateId: update.update_id, type, ...describeFault(err), attempt, retryInMs }, 'telegram update failed; retrying it (later updates wait behind it)'),
      });
      if (outcome.kind === 'stopped') return false;
      if (outcome.kind === 'gave_up') {
        this.o.metrics?.inc('inbound_given_up_total', { messenger: 'telegram', type });
        this.o.log.error({ updateId: update.update_id, type, ...describeFault(outcome.error), attempts: outcome.attempts, failingForMs: outcome.failingForMs },
          'telegram update given up after failing for minutes (a poison update); it is skipped so later updates go on. Its content is not in the desk: find the cause from the error above');
      }
      return true;
    } finally {
      if (heartbeat) clearInterval(heartbeat);
    }
  }

  /** Renews the lease during a long update; when another replica holds it now, the update is left to it. */
  private async renewWhileBusy(lost: AbortController): Promise<void> {
    if (this.renewing || lost.signal.aborted) return;
    this.renewing = true;
    try {
      if (!(await this.lead())) lost.abort();
    } catch (err) {
      // The store is unreachable: so it is for any standby; try again at the next beat.
      this.o.log.debug({ err: String(err) }, 'telegram polling lease not renewed (store unreachable)');
    } finally {
      this.renewing = false;
    }
  }

  /** Takes or renews the lease (always true without one). */
  private async lead(): Promise<boolean> {
    if (!this.lease) { this.leading = true; return true; }
    const held = await this.lease.hold();
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

  private log409(description: string): void {
    this.o.log.warn({ description }, /webhook/i.test(description)
      ? 'a Telegram webhook is set although TELEGRAM_WEBHOOK_SECRET is not: the bot removes it and polls; set the secret to use webhook mode instead'
      : 'another process polls Telegram with the same bot token: run one bot per token (with Redis, replicas elect one poller)');
    if (/webhook/i.test(description)) this.webhookCleared = false;
  }

  private sleep(ms: number): Promise<void> {
    return abortableSleep(ms, this.abort.signal);
  }
}
