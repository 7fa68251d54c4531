import type { SqlQuery } from './sqlite-schema.js';

/** A store operation; `grouped` is true when it runs inside a transaction the queue holds open. */
export type StoreTask<T> = (grouped: boolean) => Promise<T>;

interface Entry {
  task: StoreTask<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** Most operations one commit carries (one fsync for all of them). */
const MAX_GROUP = 256;

/**
 * Runs the embedded store's operations one at a time, in call order, and
 * commits them in groups: what queued while an operation ran goes into one
 * transaction and one fsync (`synchronous=FULL`), instead of one each. No
 * operation resolves before the commit that made it durable, so a caller
 * never acknowledges anything a crash could take back.
 *
 * A lone operation runs as before, in SQLite's own autocommit (no added
 * latency when the desk is quiet). When a grouped operation or the commit
 * fails, the group is rolled back and each of its operations runs again on
 * its own: only the one that fails, fails.
 *
 * One in-process queue is enough: exactly one process owns the data
 * directory (`lockDataDir`). Awaiting each statement also keeps Redis-like
 * ordering: node-sqlite3 runs statements issued without awaiting on its
 * thread pool in no guaranteed order, while callers expect `push(a); push(b)`
 * to land as a, b.
 */
export class GroupCommitQueue {
  private pending: Entry[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly query: SqlQuery) {}

  run<T>(task: StoreTask<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ task, resolve: (v) => resolve(v as T), reject });
      this.running ??= this.loop();
    });
  }

  /** Resolves once every operation queued so far has settled. */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    while (this.pending.length) {
      const group = this.pending.splice(0, MAX_GROUP);
      if (group.length === 1) await this.alone(group[0]!);
      else await this.together(group);
    }
    this.running = undefined;
  }

  private async alone(e: Entry): Promise<void> {
    try {
      e.resolve(await e.task(false));
    } catch (err) {
      e.reject(err);
    }
  }

  private async together(group: Entry[]): Promise<void> {
    const results: unknown[] = [];
    try {
      await this.query('BEGIN IMMEDIATE');
      for (const e of group) results.push(await e.task(true));
      await this.query('COMMIT');
    } catch {
      await this.query('ROLLBACK').catch(() => undefined);
      for (const e of group) await this.alone(e);
      return;
    }
    group.forEach((e, i) => e.resolve(results[i]));
  }
}
