/** One metric of `GET /metrics`: its kind, its HELP text, its label names. */
export interface MetricSpec {
  type: 'counter' | 'gauge' | 'histogram';
  help: string;
  labels: readonly string[];
  /** Histograms: bucket bounds. */
  buckets?: readonly number[];
}

/** Latency buckets in seconds: a platform call takes ~0.1–1 s; a backlog or a 429 pause adds seconds to minutes. */
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

/**
 * Every metric the desk exports, with its HELP text. A name used in the code
 * but missing here still works (with a generic help text), and a test lists
 * it, so the catalogue stays complete.
 */
export const METRIC_CATALOGUE: Readonly<Record<string, MetricSpec>> = {
  http_responses_total: { type: 'counter', help: 'HTTP answers by route and status (webhooks, the API, health, metrics).', labels: ['route', 'status'] },
  inbound_messages_total: { type: 'counter', help: 'Customer messages received, by channel and what intake did with them (accepted, duplicate, refused…).', labels: ['channel', 'outcome'] },
  inbound_given_up_total: { type: 'counter', help: 'Agents\' messages given up after retrying a fault for 5 minutes (logged at error with the update id), by messenger and update type.', labels: ['messenger', 'type'] },
  webhook_refused_total: { type: 'counter', help: 'Webhook calls refused before parsing (bad signature or encryption), by channel and reason code.', labels: ['channel', 'code'] },
  webchat_refused_total: { type: 'counter', help: 'Web chat visitor messages refused (rate limits, size), by reason.', labels: ['reason'] },
  webchat_open_sockets: { type: 'gauge', help: 'Web chat sockets open on this process.', labels: [] },
  outbox_delivered_total: { type: 'counter', help: 'Outbox items delivered, by the messenger or channel they went through (via).', labels: ['via'] },
  outbox_failed_total: { type: 'counter', help: 'Outbox items the platform refused for good (the thread is told), by via.', labels: ['via'] },
  outbox_retries_total: { type: 'counter', help: 'Outbox attempts that will be tried again (network error, 5xx, 429), by via.', labels: ['via'] },
  outbox_rate_limited_total: { type: 'counter', help: '429 answers (Retry-After) that paused a whole destination, by destination.', labels: ['destination'] },
  outbox_pending_items: { type: 'gauge', help: 'Outbox items waiting for delivery, all destinations together.', labels: [] },
  outbox_pending_by_via: { type: 'gauge', help: 'Outbox items waiting for delivery, by the messenger or channel they go through.', labels: ['via'] },
  outbox_record_window_ms_sum: { type: 'counter', help: 'Sum of the times (ms) from a platform\'s answer to the outbox\'s record of it: what a kill -9 inside it repeats.', labels: [] },
  outbox_record_window_ms_count: { type: 'counter', help: 'How many answer-to-record windows outbox_record_window_ms_sum adds up.', labels: [] },
  outbox_record_window_ms_max: { type: 'gauge', help: 'The longest answer-to-record window (ms) since start.', labels: [] },
  delivery_to_messenger_seconds: { type: 'histogram', help: 'From an item entering the outbox (a customer message accepted at the webhook, a notice) to the agents\' messenger accepting it, by messenger.', labels: ['messenger'], buckets: LATENCY_BUCKETS },
  delivery_to_customer_seconds: { type: 'histogram', help: 'From an agent\'s reply entering the outbox to the customer\'s channel accepting it, by channel.', labels: ['channel'], buckets: LATENCY_BUCKETS },
  sla_breaches_total: { type: 'counter', help: 'SLA breaches (first response or reply overdue), by queue.', labels: ['queue'] },
  conversations_waiting: { type: 'gauge', help: 'Open conversations nobody has claimed yet, by queue.', labels: ['queue'] },
  seats_online: { type: 'gauge', help: 'Enabled seats online (taking new conversations), by queue.', labels: ['queue'] },
};
