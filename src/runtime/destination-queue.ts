/** A call waiting for its destination's slot. */
interface Waiting {
  job: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface DestinationQueueOptions {
  /** Runs `drain` in one slot of the destination's limiter (bottleneck) and settles with it. */
  slot: (drain: () => Promise<void>) => Promise<void>;
  /** How many slots may drain at once: the budget's maxConcurrent. */
  maxDrainers: number;
  /** Most calls one slot runs back to back: 1 when the limiter's own spacing paces the calls. */
  maxCallsPerSlot: number;
  /** After this long in a slot, no further call is started in it (others get their turn, replicas too). */
  maxSlotMs: number;
  /**
   * How long a slot whose queue ran empty waits for a next call before it is
   * given back (default 0: at once). Where a slot costs store round trips
   * (bottleneck's Redis mode: several scripts per slot), a steady stream of
   * calls then shares a few slots instead of taking one each.
   */
  lingerMs?: number;
  /** One call inside the slot, paced by the caller (the GCRA gate). */
  run: (job: () => Promise<unknown>) => Promise<unknown>;
  /** Nothing waits and no slot is held or asked for: the queue may be forgotten. */
  onIdle?: () => void;
}

/**
 * The calls of one destination that wait in this process, in arrival order,
 * and the slots that run them. A slot of bottleneck's limiter costs several
 * turns of the event loop to hand over (its local datastore yields with
 * `setTimeout(0)` on every step: about 220 one-millisecond jobs a second per
 * destination, bench/README.md "limiter"), so a slot, once held, runs the
 * calls that are waiting one after another, each paced as before, up to
 * `maxCallsPerSlot` or `maxSlotMs`. Per destination the calls still go one at
 * a time (or `maxDrainers` at a time), in order, across replicas too.
 */
export class DestinationQueue {
  private readonly waiting: Waiting[] = [];
  private drainers = 0;
  /** Drainers whose queue ran empty, waiting up to `lingerMs` for a call: woken first-come by `push`. */
  private readonly lingering: ((arrived: boolean) => void)[] = [];

  constructor(private readonly o: DestinationQueueOptions) {}

  /** Runs `job` in a slot of the destination; settles with the job. */
  push<T>(job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ job, resolve: resolve as (value: unknown) => void, reject });
      const lingerer = this.lingering.shift();
      if (lingerer) lingerer(true);
      else this.fill();
    });
  }

  /** Rejects every call still waiting (the limiters are stopping); running calls finish. */
  dropWaiting(error: Error): void {
    for (const w of this.waiting.splice(0)) w.reject(error);
    for (const lingerer of this.lingering.splice(0)) lingerer(false);
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Asks for as many slots as there are waiting calls, up to `maxDrainers`. */
  private fill(): void {
    while (this.drainers < this.o.maxDrainers && this.drainers < this.waiting.length) {
      this.drainers += 1;
      this.o.slot(() => this.drain())
        .catch((error: unknown) => {
          // The slot itself failed (bottleneck refused or dropped the job): one call fails with it, as
          // its own job would have; the others ask for another slot.
          this.waiting.shift()?.reject(error);
        })
        .finally(() => {
          this.drainers -= 1;
          this.fill();
          if (this.drainers === 0 && this.waiting.length === 0) this.o.onIdle?.();
        });
    }
  }

  private async drain(): Promise<void> {
    const started = Date.now();
    for (let calls = 0; calls < this.o.maxCallsPerSlot; calls++) {
      if (calls > 0 && Date.now() - started >= this.o.maxSlotMs) return;
      if (this.waiting.length === 0 && (!this.o.lingerMs || !(await this.nextArrival(this.o.lingerMs)))) return;
      const w = this.waiting.shift()!;
      try {
        w.resolve(await this.o.run(w.job));
      } catch (error) {
        w.reject(error);
      }
    }
  }

  /** True when a call arrived within `ms`. */
  private nextArrival(ms: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const wake = (arrived: boolean) => {
        clearTimeout(timer);
        resolve(arrived && this.waiting.length > 0);
      };
      const timer = setTimeout(() => {
        const at = this.lingering.indexOf(wake);
        if (at >= 0) this.lingering.splice(at, 1);
        resolve(false);
      }, ms);
      this.lingering.push(wake);
    });
  }
}
