import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { METRIC_CATALOGUE, type MetricSpec } from './metric-catalogue.js';

/** The label values known at start, so every series shows (at zero) before anything happened. */
export interface MetricsScope {
  /** Configured messengers (outbox via, delivery_to_messenger_seconds). */
  messengers?: readonly string[];
  /** Configured customer channels (outbox via, delivery_to_customer_seconds). */
  channels?: readonly string[];
  queues?: readonly string[];
}

type Labels = Record<string, string>;
type GaugeRead = () => Promise<number | Labelled> | number | Labelled;
/** A labelled gauge's values: one number per label value (`{ default: 3, vip: 0 }`), for its one label. */
type Labelled = Readonly<Record<string, number>>;

let processRegistry: Registry | undefined;
/** Node's process metrics (CPU, memory, event loop lag, GC), collected once per process whatever the number of apps. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * The desk's metrics on prom-client (`GET /metrics`, Prometheus text), each
 * with its HELP text from METRIC_CATALOGUE, and Node's process metrics. The
 * series of every configured messenger, channel and queue exist from the
 * start at zero, so a dashboard shows them before the first message.
 */
export class Metrics {
  private readonly registry = new Registry();
  private readonly counters = new Map<string, Counter>();
  private readonly histograms = new Map<string, Histogram>();
  private readonly gauges = new Map<string, GaugeRead>();
  private readonly messengers: ReadonlySet<string>;

  constructor(scope: MetricsScope = {}) {
    this.messengers = new Set(scope.messengers ?? []);
    for (const [name, spec] of Object.entries(METRIC_CATALOGUE)) this.create(name, spec);
    const vias = [...(scope.messengers ?? []), ...(scope.channels ?? [])];
    for (const via of vias) for (const name of ['outbox_delivered_total', 'outbox_failed_total', 'outbox_retries_total']) this.inc(name, { via }, 0);
    for (const m of scope.messengers ?? []) this.histograms.get('delivery_to_messenger_seconds')!.zero({ messenger: m });
    for (const c of scope.channels ?? []) this.histograms.get('delivery_to_customer_seconds')!.zero({ channel: c });
    for (const queue of scope.queues ?? []) this.inc('sla_breaches_total', { queue }, 0);
  }

  inc(name: string, labels: Labels = {}, by = 1): void {
    let counter = this.counters.get(name);
    if (!counter) counter = this.create(name, { type: 'counter', help: `${name} (no description yet)`, labels: Object.keys(labels) }) as Counter;
    counter.inc(labels, by);
  }

  /** A gauge read at each scrape: one number, or one per value of its single label. A read that throws keeps its last value. */
  gauge(name: string, read: GaugeRead): void {
    if (!this.registry.getSingleMetric(name)) this.create(name, { type: 'gauge', help: `${name} (no description yet)`, labels: [] });
    this.gauges.set(name, read);
  }

  observe(name: string, labels: Labels, value: number): void {
    this.histograms.get(name)?.observe(labels, value);
  }

  /** An outbox item delivered `seconds` after it entered the outbox: to the messenger's or the customer channel's histogram. */
  observeDelivery(via: string, seconds: number): void {
    if (this.messengers.has(via)) this.observe('delivery_to_messenger_seconds', { messenger: via }, seconds);
    else this.observe('delivery_to_customer_seconds', { channel: via }, seconds);
  }

  async render(): Promise<string> {
    return Registry.merge([this.registry, processMetrics()]).metrics();
  }

  /** The Content-Type of `render()`'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  private create(name: string, spec: MetricSpec): Counter | Gauge | Histogram {
    const base = { name, help: spec.help, labelNames: [...spec.labels], registers: [this.registry] };
    if (spec.type === 'counter') {
      const c = new Counter(base);
      this.counters.set(name, c);
      return c;
    }
    if (spec.type === 'histogram') {
      const h = new Histogram({ ...base, buckets: [...(spec.buckets ?? [])] });
      this.histograms.set(name, h);
      return h;
    }
    const gauges = this.gauges;
    return new Gauge({
      ...base,
      async collect() {
        const read = gauges.get(name);
        if (!read) return;
        let value: number | Labelled;
        // A read that fails (the store away) keeps the last value rather than showing a false zero.
        try { value = await read(); } catch { return; }
        if (typeof value === 'number') this.set(value);
        else for (const [label, v] of Object.entries(value)) this.set({ [spec.labels[0] ?? 'label']: label }, v);
      },
    });
  }
}
