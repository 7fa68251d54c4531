import type { Logger } from '../../runtime/logger.js';
import type { Metrics } from '../../runtime/metrics.js';
import { describeFault, INBOUND_RETRY, retryWithBackoff, type RetryPolicy } from '../../runtime/retry-with-backoff.js';
import { msOfSnowflake } from './catch-up.js';

export interface MessageLanesOptions {
  log: Logger;
  metrics?: Metrics;
  /** INBOUND_RETRY unless given (tests shorten it). */
  retry?: RetryPolicy;
}

/**
 * Thread replies from the gateway and from a catch-up, handled one at a time
 * per thread in the order Discord sent them. A message whose processing fails
 * is retried with backoff (the policy of `runtime/retry-with-backoff.ts`),
 * the later messages of its thread waiting behind it; only a poison message
 * is given up, logged at error with its id and counted in `/metrics`.
 *
 * Until a message is done with, `oldestUnfinished` holds its moment, so the
 * watermark a catch-up starts from after a restart never passes it: a message
 * that was still being retried when the process stopped is read again.
 */
export class MessageLanes {
  private readonly lanes = new Map<string, Promise<void>>();
  private readonly unfinished = new Map<string, number>();
  private stopping = new AbortController();

  constructor(private readonly o: MessageLanesOptions) {}

  /** Queues message `id` of thread `channel`; resolves once it is done with (never rejects). */
  push(channel: string, id: string, handle: () => Promise<void>): Promise<void> {
    const at = msOfSnowflake(id);
    if (at !== undefined) this.unfinished.set(id, at);
    const next = (this.lanes.get(channel) ?? Promise.resolve()).then(() => this.handle(channel, id, handle));
    this.lanes.set(channel, next);
    void next.finally(() => {
      if (this.lanes.get(channel) === next) this.lanes.delete(channel);
    });
    return next;
  }

  /** The moment of the oldest message not done with yet, if any. */
  oldestUnfinished(): number | undefined {
    let oldest: number | undefined;
    for (const at of this.unfinished.values()) if (oldest === undefined || at < oldest) oldest = at;
    return oldest;
  }

  /** Ends the waiting of messages being retried (shutdown); they stay unfinished and are read again after the restart. */
  stop(): void {
    this.stopping.abort();
    this.stopping = new AbortController();
  }

  private async handle(channel: string, id: string, handle: () => Promise<void>): Promise<void> {
    const { log } = this.o;
    const outcome = await retryWithBackoff(handle, {
      policy: this.o.retry ?? INBOUND_RETRY,
      signal: this.stopping.signal,
      onFailure: (err, attempt, retryInMs) => log.warn({ messageId: id, channel, ...describeFault(err), attempt, retryInMs }, 'discord message failed; retrying it (later messages of its thread wait behind it)'),
    });
    if (outcome.kind === 'stopped') return;
    this.unfinished.delete(id);
    if (outcome.kind === 'gave_up') {
      this.o.metrics?.inc('inbound_given_up_total', { messenger: 'discord', type: 'message' });
      log.error({ messageId: id, channel, ...describeFault(outcome.error), attempts: outcome.attempts, failingForMs: outcome.failingForMs },
        'discord message given up after failing for minutes (a poison message); later messages of its thread go on. It is not in the desk: find the cause from the error above');
    }
  }
}
