import { describe, expect, it } from 'vitest';
import { GroupCommitQueue } from '../../src/store/embedded/group-commit-queue.js';

/** A stand-in for the SQLite connection that records the statements the queue itself issues. */
function recordingQuery(o: { failCommit?: number } = {}) {
  const statements: string[] = [];
  let commits = 0;
  let releaseCommit: (() => void) | undefined;
  let released = false;
  const query = async (sql: string) => {
    statements.push(sql);
    if (sql === 'COMMIT') {
      commits += 1;
      if (o.failCommit === commits) throw new Error('SQLITE_FULL: database or disk is full');
      if (!released) await new Promise<void>((r) => { releaseCommit = r; });
    }
    return [];
  };
  return { query, statements, release: () => { released = true; releaseCommit?.(); } };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('GroupCommitQueue', () => {
  it('runs a lone operation in autocommit, without a transaction of its own', async () => {
    const q = recordingQuery();
    const queue = new GroupCommitQueue(q.query);
    expect(await queue.run(async (grouped) => ({ grouped }))).toEqual({ grouped: false });
    expect(q.statements).toEqual([]);
  });

  it('commits what queued up meanwhile in one transaction, in call order, and resolves none of it before the commit', async () => {
    const q = recordingQuery();
    const queue = new GroupCommitQueue(q.query);
    const order: string[] = [];
    let unblock!: () => void;
    const first = queue.run(async () => { await new Promise<void>((r) => { unblock = r; }); order.push('first'); return 'first'; });
    const settled: string[] = [];
    const rest = ['a', 'b', 'c'].map((name) => queue.run(async (grouped) => { order.push(`${name}:${grouped}`); return name; }).then((v) => { settled.push(v); return v; }));
    await tick();
    unblock();
    await first;
    // The group ran but its COMMIT has not returned: nothing may be acknowledged yet.
    await tick(); await tick();
    expect(order).toEqual(['first', 'a:true', 'b:true', 'c:true']);
    expect(q.statements).toEqual(['BEGIN IMMEDIATE', 'COMMIT']);
    expect(settled).toEqual([]);
    q.release();
    expect(await Promise.all(rest)).toEqual(['a', 'b', 'c']);
  });

  it('rolls back a group when one operation fails and runs each again alone, so only that one fails', async () => {
    const q = recordingQuery();
    q.release();
    const queue = new GroupCommitQueue(q.query);
    let unblock!: () => void;
    const runs: string[] = [];
    const first = queue.run(async () => { await new Promise<void>((r) => { unblock = r; }); });
    const good = queue.run(async (grouped) => { runs.push(`good:${grouped}`); return 'stored'; });
    const bad = queue.run(async (grouped) => { runs.push(`bad:${grouped}`); throw new Error('constraint failed'); });
    await tick();
    unblock();
    await first;
    await expect(good).resolves.toBe('stored');
    await expect(bad).rejects.toThrow('constraint failed');
    expect(q.statements).toEqual(['BEGIN IMMEDIATE', 'ROLLBACK']);
    expect(runs).toEqual(['good:true', 'bad:true', 'good:false', 'bad:false']);
  });

  it('runs every operation again alone when the commit itself fails', async () => {
    const q = recordingQuery({ failCommit: 1 });
    q.release();
    const queue = new GroupCommitQueue(q.query);
    let unblock!: () => void;
    const first = queue.run(async () => { await new Promise<void>((r) => { unblock = r; }); });
    const runs: string[] = [];
    const both = [1, 2].map((n) => queue.run(async (grouped) => { runs.push(`${n}:${grouped}`); return n; }));
    await tick();
    unblock();
    await first;
    expect(await Promise.all(both)).toEqual([1, 2]);
    expect(q.statements).toEqual(['BEGIN IMMEDIATE', 'COMMIT', 'ROLLBACK']);
    expect(runs).toEqual(['1:true', '2:true', '1:false', '2:false']);
  });

  it('drains: resolves once everything queued so far has settled', async () => {
    const q = recordingQuery();
    q.release();
    const queue = new GroupCommitQueue(q.query);
    const done: number[] = [];
    for (const n of [1, 2, 3]) void queue.run(async () => { await tick(); done.push(n); });
    await queue.drain();
    expect(done).toEqual([1, 2, 3]);
  });
});
