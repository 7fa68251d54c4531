import type { Config } from '../config/config.js';
import type { Desk } from '../core/desk.js';
import { keys } from '../core/keys.js';
import type { StorePort } from '../core/ports.js';
import type { MetricsScope, Metrics } from '../runtime/metrics.js';

/** The label values known from the configuration: every messenger, channel and queue shows at zero from the start. */
export function metricsScope(config: Config): MetricsScope {
  return { messengers: Object.keys(config.messengers), channels: Object.keys(config.channels), queues: config.queues.map((q) => q.name) };
}

/**
 * The gauges read at each scrape: the outbox's depth (all, and per via),
 * waiting conversations and online seats per queue.
 */
export function wireMetrics(metrics: Metrics, config: Config, w: { desk: Desk; store: StorePort }): void {
  const { desk, store } = w;
  const scope = metricsScope(config);
  const zeros = (names: readonly string[] = []) => Object.fromEntries(names.map((n) => [n, 0]));
  metrics.gauge('outbox_pending_items', () => desk.outbox.pendingCount());
  metrics.gauge('outbox_pending_by_via', async () => ({ ...zeros([...scope.messengers ?? [], ...scope.channels ?? []]), ...(await desk.outbox.pendingByVia()) }));
  metrics.gauge('conversations_waiting', async () => Object.fromEntries(await Promise.all((scope.queues ?? []).map(async (q) => [q, await store.zCard(keys.waiting(q))] as const))));
  metrics.gauge('seats_online', async () => {
    const counts = zeros(scope.queues);
    for (const seat of await desk.seats.list()) {
      if (!seat.enabled || seat.presence !== 'online') continue;
      for (const q of seat.queues) if (q in counts) counts[q] = (counts[q] ?? 0) + 1;
    }
    return counts;
  });
}

/** What the shutdown line says was left for the next start: outbox items per via (`{ slack: 2, whatsapp: 1 }`). */
export async function leftForNextStart(desk: Desk): Promise<Record<string, number> | string> {
  try {
    return await desk.outbox.pendingByVia();
  } catch (err) {
    return `unknown (the store did not answer: ${String(err)})`;
  }
}
