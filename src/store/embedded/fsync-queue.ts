/** An operation waiting for its transaction's COMMIT or fsync. */
export interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The committed writes of the group commit that wait for an fsync: one fsync
 * at a time, each covering every COMMIT made before it started, while the
 * main thread goes on with the next group. A write resolves when its fsync
 * is done; if an fsync fails, every write it was to make durable is rejected.
 */
export class FsyncQueue {
  /** Committed, waiting for the next fsync. */
  private unsynced: Waiter[] = [];
  /** Committed, in the fsync that is running now. */
  private syncing: Waiter[] | undefined;

  constructor(private readonly sync: () => Promise<void>) {}

  /** Writes just committed: they resolve at the end of an fsync that starts after now. */
  add(waiters: readonly Waiter[]): void {
    for (const waiter of waiters) this.unsynced.push(waiter);
    this.start();
  }

  /** Resolves when every write added so far has had its fsync (or failed it). */
  async settle(): Promise<void> {
    // The committed batch still waiting is synced after the running one: its end is the end of all.
    const last = this.unsynced.length > 0 ? this.unsynced : this.syncing;
    if (!last) return;
    await new Promise<void>((resolve) => {
      last.push({ resolve, reject: () => resolve() });
    });
  }

  /** Starts an fsync for what is committed, unless one is running (its end starts the next). */
  private start(): void {
    if (this.syncing || this.unsynced.length === 0) return;
    const batch = this.unsynced;
    this.unsynced = [];
    this.syncing = batch;
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
