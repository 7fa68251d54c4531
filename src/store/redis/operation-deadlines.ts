import { StoreUnavailableError } from '../store-errors.js';
import { classifyRedisError } from './classify-redis-error.js';

/** How often the one watchdog looks for overdue operations. */
const SWEEP_MS = 100;

interface Pending {
  overdueAt: number;
  reject: (error: unknown) => void;
}

/**
 * Bounds every operation of one store with a deadline. A command written to a
 * connection that then goes silent waits for the socket to fail; this
 * deadline bounds that case. One timer sweeps every operation in flight
 * (a timer, or an AbortSignal, per command cost a noticeable share of the
 * main thread at a few hundred messages a second), so a deadline is kept to
 * within `SWEEP_MS`. A timed-out write may or may not have been applied, as
 * with any network timeout: callers retry idempotently. Commands never wait
 * in an offline queue (`disableOfflineQueue`), so none runs late.
 */
export class OperationDeadlines {
  private readonly pending = new Set<Pending>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly timeoutMs: number, private readonly where: string) {}

  run<T>(operation: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Pending = { overdueAt: Date.now() + this.timeoutMs + SWEEP_MS, reject };
      this.pending.add(entry);
      this.timer ??= setInterval(() => this.sweep(), SWEEP_MS).unref();
      operation().then(
        (value) => { this.settle(entry); resolve(value); },
        (error: unknown) => { this.settle(entry); reject(classifyRedisError(error, this.where)); },
      );
    });
  }

  private settle(entry: Pending): void {
    this.pending.delete(entry);
  }

  /** Also stops the watchdog once a sweep finds nothing in flight (not at every settle: a busy store would start and stop it per command). */
  private sweep(): void {
    if (this.pending.size === 0 && this.timer) { clearInterval(this.timer); this.timer = undefined; return; }
    const now = Date.now();
    for (const entry of this.pending) {
      if (entry.overdueAt > now) continue;
      this.settle(entry);
      entry.reject(new StoreUnavailableError(`Redis at ${this.where} did not answer within ${this.timeoutMs} ms.`));
    }
  }
}
