/**
 * A global async mutex: runs tasks one at a time, in call order.
 *
 * The embedded store funnels every operation through one of these. That makes
 * read-modify-write sequences atomic (exactly one process owns the data
 * directory, so in-process exclusion is enough), and it gives Redis-like
 * ordering: node-sqlite3 runs statements issued without awaiting on its thread
 * pool in no guaranteed order, while callers expect `push(a); push(b)` to land
 * as a, b.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every task queued before it has settled. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // The chain must survive a failed task, so the next one waits on settlement only.
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  async drain(): Promise<void> {
    await this.tail;
  }
}
