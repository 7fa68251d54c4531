/** What the group commit needs of the connection (a better-sqlite3 `Database` has it). */
export interface Connection {
  exec(sql: string): unknown;
  /** False once SQLite has rolled the transaction back by itself (it does on some I/O and memory errors). */
  readonly inTransaction: boolean;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Most operations one commit carries; a fuller group commits at once instead of at the end of the turn. */
export const MAX_GROUP = 256;

/**
 * Runs the embedded store's operations synchronously, in call order, and
 * makes their writes durable in groups: the first write opens a transaction,
 * every operation until the end of this turn of the event loop (or until
 * {@link MAX_GROUP} of them) joins it, and one COMMIT, one fsync with
 * `synchronous=FULL`, makes them all durable.
 *
 * No operation resolves before the commit that made its writes durable. A read
 * issued while a transaction is open sees that transaction's writes, so it
 * resolves after the commit too: nobody acts on data a crash could take back.
 * A read with no transaction open resolves at once.
 *
 * A failing operation fails alone: a single statement is atomic by itself, and
 * an operation of several statements runs in a SAVEPOINT that is rolled back
 * on failure. If the COMMIT fails, or SQLite rolls the whole transaction back
 * after a failing statement, every operation of the group is rejected.
 *
 * One connection is enough: exactly one process owns the data directory
 * (`lockDataDir`), and statements run on the main thread, one at a time.
 */
export class GroupCommit {
  private group: Waiter[] = [];
  private open = false;
  private commitScheduled = false;

  constructor(
    private readonly db: Connection,
    private readonly maxGroup = MAX_GROUP,
  ) {}

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
   * it in a savepoint, so it leaves all its writes or none.
   */
  write<T>(op: () => T, statements: 'one' | 'several' = 'one'): Promise<T> {
    let value: T;
    try {
      this.begin();
      value = statements === 'one' ? op() : this.inSavepoint(op);
    } catch (error) {
      this.checkTransactionSurvived(error);
      return Promise.reject(error);
    }
    const done = this.afterCommit(value);
    if (this.group.length >= this.maxGroup) this.commit();
    return done;
  }

  /** Commits what is pending now (close uses it); resolves nothing early. */
  flush(): void {
    if (this.open) this.commit();
  }

  private begin(): void {
    if (this.open) return;
    this.db.exec('BEGIN IMMEDIATE');
    this.open = true;
    if (this.commitScheduled) return;
    this.commitScheduled = true;
    // The end of this turn: what the callbacks of this turn issued shares the commit.
    setImmediate(() => {
      this.commitScheduled = false;
      this.flush();
    });
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

  private afterCommit<T>(value: T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.group.push({ resolve: () => resolve(value), reject });
    });
  }

  private commit(): void {
    const group = this.group;
    this.group = [];
    this.open = false;
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
      for (const waiter of group) waiter.reject(error);
      return;
    }
    for (const waiter of group) waiter.resolve();
  }

  /** After a failed statement: if SQLite dropped the transaction, the group's writes are gone. */
  private checkTransactionSurvived(error: unknown): void {
    if (!this.open || this.db.inTransaction) return;
    const group = this.group;
    this.group = [];
    this.open = false;
    const lost = new Error(
      'SQLite rolled back the transaction these writes were in, after another operation failed; nothing of them was stored. Retry them.',
      { cause: error },
    );
    for (const waiter of group) waiter.reject(lost);
  }
}
