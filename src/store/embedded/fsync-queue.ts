/** An operation waiting for its transaction's COMMIT or fsync. */
export interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Least time from the start of one fsync to the start of the next, under
 * load. Handing an fsync to libuv's thread pool costs the main thread ~40 µs
 * on the 2-vCPU VM (its completion a wake-up and a callback more), whatever
 * it covers; an fsync takes ~0.3 ms, so starting the next one as soon as the
 * last ended ran ~900 fsyncs/s at 1,000 writes/s, one per COMMIT or nearly.
 *
 * Measured with a micro-benchmark (the real store, 1,000 writes/s and 1,400
 * reads/s from timers as chains of awaited operations, 6 s, before → after
 * this spacing and the held COMMITs of group-commit.ts, measured on a
 * branch that also ran WAL checkpoints in a worker thread, not kept; 6 runs
 * each on the shared machine): fsyncs 810–940 →
 * 340–570/s, COMMITs 860–940 → 490–770/s, main-thread CPU per operation
 * median 84 → 75 µs (runs ranged 66–117 either way: the machine was shared),
 * time inside COMMIT median 31 → 24 ms/s. The price: a write's p50 0.3–0.7 →
 * 1.6–2.2 ms under that load (a timer of 1 ms fires after 1–2 ms). At 100
 * writes/s nothing waits: p50 0.5–1.2 ms before and after.
 */
export const FSYNC_SPACING_MS = 1;

/**
 * Spacing applies only while this many writes were committed within
 * {@link LOAD_WINDOW_MS} (400/s): one message's few writes, each awaited
 * before the next, never wait for it.
 */
const LOAD_WRITES = 8;
const LOAD_WINDOW_MS = 20;

export interface FsyncQueueOptions {
  /** Least ms between the starts of two fsyncs (default {@link FSYNC_SPACING_MS}; 0: none). */
  spacingMs?: number;
  /** Called right before each fsync starts, so the caller can commit what it holds and have it covered. */
  beforeStart?: () => void;
}

/**
 * The committed writes of the group commit that wait for an fsync: one fsync
 * at a time, each covering every COMMIT made before it started, while the
 * main thread goes on with the next group. A write resolves when its fsync
 * is done; if an fsync fails, every write it was to make durable is rejected.
 *
 * An fsync starts when a write is committed, unless one is running or the
 * last one started less than `spacingMs` ago: then it starts when that one
 * has ended and the spacing has passed, and covers every COMMIT made until
 * then. A write that comes after a quiet spell waits for nothing but its own
 * fsync; under load, fewer fsyncs cover more writes each.
 */
export class FsyncQueue {
  /** Committed, waiting for the next fsync. */
  private unsynced: Waiter[] = [];
  /** Committed, in the fsync that is running now. */
  private syncing: Waiter[] | undefined;
  /** When the last fsync started (performance.now()). */
  private lastStart = -Infinity;
  /** The timer that starts the next fsync once the spacing has passed. */
  private spacer: NodeJS.Timeout | undefined;
  private readonly spacingMs: number;
  /** When the last {@link LOAD_WRITES} writes were committed, a ring; `nextRecent` is the oldest. */
  private readonly recent: number[] = Array.from({ length: LOAD_WRITES }, () => -Infinity);
  private nextRecent = 0;
  private readonly beforeStart: (() => void) | undefined;
  /** Someone holds a commit for the next fsync's start ({@link wantNext}). */
  private wanted = false;
  /** In `beforeStart`: what it adds is taken by the fsync about to start. */
  private starting = false;

  constructor(
    private readonly sync: () => Promise<void>,
    options: FsyncQueueOptions = {},
  ) {
    this.spacingMs = options.spacingMs ?? FSYNC_SPACING_MS;
    this.beforeStart = options.beforeStart;
  }

  /** True while an fsync runs or the next one waits for the spacing: a COMMIT now would wait for its fsync anyway. */
  get busy(): boolean {
    return this.syncing !== undefined || this.spacer !== undefined;
  }

  /** Asks for an fsync start as soon as one may start, calling `beforeStart` first, even with nothing committed yet. */
  wantNext(): void {
    this.wanted = true;
    this.start();
  }

  /** Writes just committed: they resolve at the end of an fsync that starts after now. */
  add(waiters: readonly Waiter[]): void {
    const now = performance.now();
    for (const waiter of waiters) {
      this.unsynced.push(waiter);
      this.recent[this.nextRecent] = now;
      this.nextRecent = (this.nextRecent + 1) % LOAD_WRITES;
    }
    this.start();
  }

  /** True when the last {@link LOAD_WRITES} writes were committed within {@link LOAD_WINDOW_MS}: spacing pays. */
  private loaded(now: number): boolean {
    return this.recent[this.nextRecent]! > now - LOAD_WINDOW_MS;
  }

  /** Resolves when every write added so far has had its fsync (or failed it); starts a spaced fsync now. */
  async settle(): Promise<void> {
    // The committed batch still waiting is synced after the running one: its end is the end of all.
    const last = this.unsynced.length > 0 ? this.unsynced : this.syncing;
    if (!last) return;
    if (this.spacer) {
      clearTimeout(this.spacer);
      this.spacer = undefined;
      this.run();
    }
    await new Promise<void>((resolve) => {
      last.push({ resolve, reject: () => resolve() });
    });
  }

  /** Starts an fsync for what is committed, unless one is running (its end starts the next) or the spacing has not passed. */
  private start(): void {
    if (this.starting || this.syncing || this.spacer || (this.unsynced.length === 0 && !this.wanted)) return;
    const now = performance.now();
    const wait = this.loaded(now) ? this.lastStart + this.spacingMs - now : 0;
    if (wait > 0) {
      this.spacer = setTimeout(() => {
        this.spacer = undefined;
        this.run();
      }, wait);
      return;
    }
    this.run();
  }

  private run(): void {
    if (this.syncing) return;
    this.wanted = false;
    if (this.beforeStart) {
      this.starting = true;
      try {
        this.beforeStart();
      } finally {
        this.starting = false;
      }
    }
    if (this.unsynced.length === 0) return;
    const batch = this.unsynced;
    this.unsynced = [];
    this.syncing = batch;
    this.lastStart = performance.now();
    this.sync().then(
      () => {
        this.syncing = undefined;
        for (const waiter of batch) waiter.resolve();
        this.start();
      },
      (error: unknown) => {
        this.syncing = undefined;
        const lost = new Error('fsync of the store failed: these writes may not survive a power cut; retry them.', { cause: error });
        for (const waiter of batch) waiter.reject(lost);
        this.start();
      },
    );
  }
}
