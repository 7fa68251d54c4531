/**
 * A few counters and gauges in Prometheus' text format (`GET /metrics`).
 * Small on purpose: a client library would add a dependency for 30 lines.
 */
export class Metrics {
  private readonly counters = new Map<string, number>();
  private readonly gauges = new Map<string, () => Promise<number> | number>();

  inc(name: string, labels: Record<string, string> = {}, by = 1): void {
    const key = name + formatLabels(labels);
    this.counters.set(key, (this.counters.get(key) ?? 0) + by);
  }

  gauge(name: string, read: () => Promise<number> | number): void {
    this.gauges.set(name, read);
  }

  async render(): Promise<string> {
    const lines: string[] = [];
    const seen = new Set<string>();
    for (const [key, value] of [...this.counters].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const name = key.split('{')[0]!;
      if (!seen.has(name)) { lines.push(`# TYPE ${name} counter`); seen.add(name); }
      lines.push(`${key} ${value}`);
    }
    for (const [name, read] of this.gauges) {
      let value: number;
      try { value = await read(); } catch { continue; }
      lines.push(`# TYPE ${name} gauge`, `${name} ${value}`);
    }
    return lines.join('\n') + '\n';
  }
}

function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  if (!entries.length) return '';
  return '{' + entries.map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',') + '}';
}
