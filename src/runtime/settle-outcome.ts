import type { OutboxItem, Via } from '../core/outbox/items.js';
import type { DeliveryOutcome } from '../core/outbox/deliverer.js';
import type { OutboxWorkerOptions } from './outbox-worker-options.js';

/** What settling an attempt needs from its worker. */
export interface SettleContext extends Pick<OutboxWorkerOptions, 'log' | 'metrics' | 'onOutcome'> {
  /** Failed attempts in a row, per lane. */
  failures: Map<string, number>;
  sleep(ms: number): Promise<void>;
  /** The desk's clock, to time items from their entry into the outbox. */
  now(): number;
}

/** After an attempt: counts, logs and follow-ups (the items were already removed by the attempt). */
export async function settleOutcome(
  ctx: SettleContext,
  lane: string,
  via: Via,
  done: readonly OutboxItem[],
  outcome: DeliveryOutcome,
  /** Where the items went (`slack:C0123…`), for the log line. */
  destination: string = via,
): Promise<void> {
  const { log, metrics } = ctx;
  switch (outcome.kind) {
    case 'progress':
      return;
    case 'delivered':
    case 'failed': {
      ctx.failures.delete(lane);
      metrics.inc(outcome.kind === 'delivered' ? 'outbox_delivered_total' : 'outbox_failed_total', { via }, done.length);
      if (outcome.kind === 'delivered' && done.length) {
        const now = ctx.now();
        for (const item of done) metrics.observeDelivery(via, Math.max(0, now - item.createdAt) / 1000);
        // One line per delivered batch, so an operator sees the desk working.
        log.info({ destination, lane, items: done.length }, `delivered ${done.length} item${done.length > 1 ? 's' : ''} to ${destination}`);
      }
      if (outcome.kind === 'failed') log.warn({ lane, reason: outcome.reason, code: outcome.failure?.code }, 'outbox item could not be delivered');
      try {
        await ctx.onOutcome(done, outcome);
      } catch (err) {
        log.error({ lane, err: String(err) }, 'after-delivery step failed');
      }
      return;
    }
    case 'retry': {
      metrics.inc('outbox_retries_total', { via });
      if (outcome.destinationWide) return; // the destination waits inside its next slot
      const n = (ctx.failures.get(lane) ?? 0) + 1;
      ctx.failures.set(lane, n);
      const backoff = outcome.afterMs ?? Math.min(1000 * 2 ** Math.min(n - 1, 8), 300_000);
      log.warn({ lane, reason: outcome.reason, attempt: n, retryInMs: backoff }, 'outbox delivery failed; retrying');
      await ctx.sleep(backoff);
      return;
    }
  }
}
