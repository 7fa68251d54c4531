import { FsyncQueue, type Waiter } from './fsync-queue.js';

/** What the group commit needs of the connection (a better-sqlite3 `Database` has it). */
export interface Connection {
  exec(sql: string): unknown;
  /** False once SQLite has rolled the transaction back by itself (it does on some I/O and memory errors). */
  readonly inTransaction: boolean;
}


/** Most operations one commit carries; a fuller group commits at once instead of at the end of the turn. */
export const MAX_GROUP = 256;

/**
 * Longest a transaction whose turn has ended is held open for the next fsync
 * to start (reads that saw it wait that long for its COMMIT at most).
 */
export const HOLD_MS = 2;

export interface GroupCommitOptions {
  /** Most operations in one group (default {@link MAX_GROUP}). */
  maxGroup?: number;
  /**
   * Makes every COMMIT made so far durable (an fsync of the WAL on the thread
   * pool). Without it, a COMMIT is durable by itself (`synchronous=FULL`,
   * whose fsync then blocks the main thread).
   */
  sync?: () => Promise<void>;
  /** Longest a transaction is held for the next fsync (default {@link HOLD_MS}; 0: commit at every turn's end). */
  holdMs?: number;
  /** Least ms between two fsyncs under load (default FSYNC_SPACING_MS, fsync-queue.ts). */
  fsyncSpacingMs?: number;
}

/**
 * Runs the embedded store's operations synchronously, in call order, and
 * makes their writes durable in groups: the first write opens a transaction,
 * every operation until the end of this turn of the event loop (or until
 * {@link MAX_GROUP} of them) joins it, and one COMMIT makes them all durable.
 *
 * With `sync`, the COMMIT only hands the WAL frames to the kernel (that alone
 * survives `kill -9`) and the fsync that makes them survive a power cut runs
 * off the main thread: one fsync at a time, covering every group committed
 * before it started, while the main thread goes on with the next group.
 * Under load the fsyncs are spaced (fsync-queue.ts), and a transaction whose
 * turn ends while an fsync runs or waits is not committed then: its writes
 * would wait for the next fsync anyway, so it stays open, later turns join
 * it, and it commits right before that fsync starts ({@link HOLD_MS} at
 * most). One COMMIT per fsync instead of one per turn: on the 2-vCPU VM a
 * COMMIT costs the main thread ~50 µs, handing an fsync to the thread pool
 * ~40 µs more (see the figures in fsync-queue.ts). With no fsync running, a
 * turn's transaction commits at its end as before. A transaction with a
 * write that waits for its COMMIT only (`durability: 'process'`: what a call
 * waits for inside its destination's slot) is not held: it commits at the
 * end of that write's turn.
 *
 * No write resolves before it is durable (its fsync). A read resolves at
 * once, or, when it ran inside the open transaction (and may have seen its
 * writes), at that transaction's COMMIT, so nobody acts on data that `kill -9`
 * could take back (a held transaction's reads wait {@link HOLD_MS} at most
 * past their turn). It does not wait for the fsync (that would put an fsync
 * into every read of a busy store, and into the channel's slot): data only a
 * power cut could still take back may be acted on. After a power cut a
 * message can therefore show twice; for one to be lost, a platform's repeat
 * delivery would have to be found done and acknowledged inside its
 * original's fsync (well under a millisecond) and the power go in that instant.
 *
 * A failing operation fails alone: a single statement is atomic by itself, and
 * an operation of several statements runs in a SAVEPOINT that is rolled back
 * on failure. If the COMMIT fails, or SQLite rolls the whole transaction back
 * after a failing statement, every operation of the group is rejected; if an
 * fsync fails, every operation it was to make durable is rejected.
 *
 * One connection is enough: exactly one process owns the data directory
 * (`lockDataDir`), and statements run on the main thread, one at a time.
 *
 * BEGIN, COMMIT and SAVEPOINT stay `exec` strings: measured, a prepared
 * statement for them costs the same (an empty BEGIN IMMEDIATE…COMMIT 8.6 µs
 * with `exec`, 9.4 µs prepared; a SAVEPOINT and its RELEASE 0.9 µs).
 */
export class GroupCommit {
  /** Writes of the open transaction. */
  private group: Waiter[] = [];
  /** Reads that saw the open transaction, and writes wanted only at its COMMIT: they settle with it. */
  private committed: Waiter[] = [];
  private open = false;
  private commitScheduled = false;
  /** The open transaction has a write that waits for its COMMIT only (`durability: 'process'`): it is not held. */
  private urgent = false;
  private readonly maxGroup: number;
  /** Committed writes waiting for their fsync (with `sync`). */
  private readonly fsyncs: FsyncQueue | undefined;
  private readonly holdMs: number;
  /** Commits a held transaction at the latest `holdMs` after the end of its turn. */
  private holdTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Connection,
    options: GroupCommitOptions = {},
  ) {
    this.maxGroup = options.maxGroup ?? MAX_GROUP;
    this.holdMs = options.holdMs ?? HOLD_MS;
    this.fsyncs = options.sync
      ? new FsyncQueue(options.sync, { spacingMs: options.fsyncSpacingMs, beforeStart: () => this.flush() })
      : undefined;
  }

  /** Runs `op` (statements that only read) now. */
  read<T>(op: () => T): Promise<T> {
    let value: T;
    try {
      value = op();
    } catch (error) {
      this.checkTransactionSurvived(error);
      return Promise.reject(error);
    }
    return this.open ? this.afterCommit(value) : Promise.resolve(value);
  }

  /**
   * Runs `op` now inside the group's transaction. `statements: 'several'` runs
   * it in a savepoint, so it leaves all its writes or none. With `durability:
   * 'process'` it resolves at the COMMIT, before the fsync (ports.ts WriteOptions).
   */
  write<T>(op: () => T, statements: 'one' | 'several' = 'one', durability: 'power' | 'process' = 'power'): Promise<T> {
    let value: T;
    try {
      this.begin();
      value = statements === 'one' ? op() : this.inSavepoint(op);
    } catch (error) {
      this.checkTransactionSurvived(error);
      return Promise.reject(error);
    }
    const done = durability === 'process' ? this.afterCommit(value) : this.join(this.group, value);
    if (this.group.length + this.committed.length >= this.maxGroup) this.commit();
    else if (durability === 'process') this.commitAtTurnEnd();
    return done;
  }

  /** Commits what is pending now (close uses it); resolves nothing early. */
  flush(): void {
    if (this.open) this.commit();
  }

  /** Commits what is pending and waits until every operation has settled (for close). */
  async settle(): Promise<void> {
    this.flush();
    await this.fsyncs?.settle();
  }

  private begin(): void {
    if (this.open) return;
    this.db.exec('BEGIN IMMEDIATE');
    this.open = true;
    this.scheduleEndOfTurn();
  }

  private scheduleEndOfTurn(): void {
    if (this.commitScheduled) return;
    this.commitScheduled = true;
    // The end of this turn: what the callbacks of this turn issued shares the commit.
    setImmediate(() => {
      this.commitScheduled = false;
      this.endOfTurn();
    });
  }

  /**
   * A write that waits for the COMMIT only is one a caller waits for inside a
   * destination's slot (an attempt marker, a spacing reservation): holding
   * it for the next fsync would hold the slot, up to {@link HOLD_MS} per
   * call. Its transaction commits at the end of this turn, also when it was
   * held from an earlier one.
   */
  private commitAtTurnEnd(): void {
    this.urgent = true;
    this.scheduleEndOfTurn();
  }

  /**
   * Commits at the end of the turn, unless an fsync is running or spaced: its
   * COMMIT would only wait for the next fsync, so it is held until that one
   * starts (`beforeStart`), or `holdMs` at most, and later turns join it.
   */
  private endOfTurn(): void {
    if (!this.open) return;
    if (this.fsyncs && this.holdMs > 0 && this.fsyncs.busy && !this.urgent) {
      this.holdTimer ??= setTimeout(() => {
        this.holdTimer = undefined;
        this.flush();
      }, this.holdMs);
      this.fsyncs.wantNext();
      return;
    }
    this.flush();
  }

  private inSavepoint<T>(op: () => T): T {
    this.db.exec('SAVEPOINT op');
    let value: T;
    try {
      value = op();
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK TO op; RELEASE op');
      throw error;
    }
    this.db.exec('RELEASE op');
    return value;
  }

  /** A promise of `value` that settles when the open transaction's COMMIT is done (not its fsync). */
  private afterCommit<T>(value: T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.committed.push({ resolve: () => resolve(value), reject });
    });
  }

  /** A promise of `value` settled with the operations of `waiters`. */
  private join<T>(waiters: Waiter[], value: T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      waiters.push({ resolve: () => resolve(value), reject });
    });
  }

  private commit(): void {
    if (this.holdTimer) {
      clearTimeout(this.holdTimer);
      this.holdTimer = undefined;
    }
    const group = this.group;
    const reads = this.committed;
    this.group = [];
    this.committed = [];
    this.open = false;
    this.urgent = false;
    try {
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.inTransaction) {
        try {
          this.db.exec('ROLLBACK');
        } catch {
          // Nothing more to undo; the group is rejected either way.
        }
      }
      for (const waiter of [...group, ...reads]) waiter.reject(error);
      return;
    }
    if (!this.fsyncs) {
      for (const waiter of [...group, ...reads]) waiter.resolve();
      return;
    }
    for (const waiter of reads) waiter.resolve();
    this.fsyncs.add(group);
  }

  /** After a failed statement: if SQLite dropped the transaction, the group's writes are gone. */
  private checkTransactionSurvived(error: unknown): void {
    if (!this.open || this.db.inTransaction) return;
    const group = [...this.group, ...this.committed];
    this.group = [];
    this.committed = [];
    this.open = false;
    this.urgent = false;
    const lost = new Error(
      'SQLite rolled back the transaction these writes were in, after another operation failed; nothing of them was stored. Retry them.',
      { cause: error },
    );
    for (const waiter of group) waiter.reject(lost);
  }
}
