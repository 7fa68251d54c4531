import type { Metrics } from './metrics.js';

/** Time from a platform's answer to the outbox's record of it: what a kill -9 inside it repeats. */
export class RecordWindowMetric {
  private windowMax = 0;

  constructor(private readonly metrics: Metrics) {}

  /** Adds one window to `outbox_record_window_ms_*`. */
  record(ms: number): void {
    if (this.windowMax === 0) this.metrics.gauge('outbox_record_window_ms_max', () => this.windowMax);
    this.windowMax = Math.max(this.windowMax, ms);
    this.metrics.inc('outbox_record_window_ms_sum', {}, Math.round(ms * 1000) / 1000);
    this.metrics.inc('outbox_record_window_ms_count');
  }
}
