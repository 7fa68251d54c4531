import type { Logger } from './logger.js';

/** What the runner drives: one assignment run for a queue, and the queues there are. */
export interface AssignmentRunnerOptions {
  /** Assigns what it can in `queue`; `more` asks for another run at once. */
  assign(queue: string): Promise<{ more: boolean }>;
  queues(): readonly string[];
  log: Logger;
  /** Every queue is looked at this often anyway (a kick lost in a crash, a replica's work): default 15 s. */
  sweepMs?: number;
}

/**
 * Runs assignment (src/core/assignment) when something may have changed it:
 * a conversation opened or waits again, a seat freed up or came online. One
 * run per queue at a time in this process; a kick during a run asks for one
 * more after it. Correctness across replicas does not rest on this (every
 * assignment is an atomic claim): this only keeps runs few and prompt.
 */
export class AssignmentRunner {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly o: AssignmentRunnerOptions) {}

  kick(queue: string): void {
    if (this.stopped) return;
    if (this.running.has(queue)) { this.again.add(queue); return; }
    const run = this.runQueue(queue).finally(() => this.running.delete(queue));
    this.running.set(queue, run);
  }

  /** Looks at every queue now and then every `sweepMs`. */
  start(): void {
    const sweep = () => { for (const q of this.o.queues()) this.kick(q); };
    sweep();
    this.timer = setInterval(sweep, this.o.sweepMs ?? 15_000);
    this.timer.unref();
  }

  /** No new runs; resolves when the ones in flight are done. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.all(this.running.values());
  }

  /** Settles when every queue's runs (and the ones asked for meanwhile) are done: for tests and shutdown. */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all(this.running.values());
  }

  private async runQueue(queue: string): Promise<void> {
    let more = true;
    while (more && !this.stopped) {
      this.again.delete(queue);
      try {
        more = (await this.o.assign(queue)).more || this.again.has(queue);
      } catch (err) {
        // Left to the next kick or sweep: the conversations still wait, nothing is lost.
        this.o.log.warn({ queue, err: String(err) }, 'assignment run failed; the queue is looked at again soon');
        more = false;
      }
    }
  }
}
