import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { GroupCommit, type Connection } from '../../src/store/embedded/group-commit.js';

const opened: Database.Database[] = [];
afterEach(() => {
  while (opened.length > 0) opened.pop()!.close();
});

/**
 * A real SQLite connection (in memory) behind a recorder: `log` gets every
 * statement the group commit issues itself, and every settled operation, in
 * the order they happen. `failCommit` makes the next COMMIT fail.
 */
function recordedDb() {
  const db = new Database(':memory:');
  opened.push(db);
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT NOT NULL)');
  const log: string[] = [];
  const faults = { failCommit: false };
  const connection: Connection = {
    exec(sql) {
      log.push(sql);
      if (sql === 'COMMIT' && faults.failCommit) {
        faults.failCommit = false;
        throw new Error('SQLITE_FULL: database or disk is full');
      }
      return db.exec(sql);
    },
    get inTransaction() {
      return db.inTransaction;
    },
  };
  const insert = db.prepare<[string, string]>('INSERT INTO t (k, v) VALUES (?, ?)');
  const rows = () => db.prepare<[], { k: string; v: string }>('SELECT k, v FROM t ORDER BY k').all();
  /** Records when `promise` settles, under `name`. */
  const track = <T>(name: string, promise: Promise<T>) =>
    promise.then(
      (value) => {
        log.push(`resolved ${name}`);
        return value;
      },
      (error: unknown) => {
        log.push(`rejected ${name}`);
        throw error;
      },
    );
  return { db, connection, log, faults, insert, rows, track };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('commits every write issued in one turn of the event loop with one COMMIT, and resolves none of them before it', async () => {
    const r = recordedDb();
    const commits = new GroupCommit(r.connection);
    const writes = ['a', 'b', 'c'].map((k) => r.track(k, commits.write(() => r.insert.run(k, `value ${k}`).changes)));
    // Microtasks run, but the turn has not ended: the writes are not durable, so nothing is acknowledged.
    await Promise.resolve();
    await Promise.resolve();
    expect(r.log).toEqual(['BEGIN IMMEDIATE']);
    expect(await Promise.all(writes)).toEqual([1, 1, 1]);
    expect(r.log).toEqual(['BEGIN IMMEDIATE', 'COMMIT', 'resolved a', 'resolved b', 'resolved c']);
    expect(r.db.inTransaction).toBe(false);
    expect(r.rows().map((row) => row.k)).toEqual(['a', 'b', 'c']);
  });

  it('resolves a read issued while a transaction is open only after its commit, and one issued with none at once', async () => {
    const r = recordedDb();
    const commits = new GroupCommit(r.connection);
    const early = r.track('early read', commits.read(() => r.rows().length));
    await early;
    const write = r.track('write', commits.write(() => r.insert.run('a', '1')));
    const late = r.track('late read', commits.read(() => r.rows().length));
    await Promise.all([early, write, late]);
    expect(r.log).toEqual(['resolved early read', 'BEGIN IMMEDIATE', 'COMMIT', 'resolved write', 'resolved late read']);
    // Each read ran when it was called: the late one saw the write.
    expect([await early, await late]).toEqual([0, 1]);
  });

  it('commits at once when a group is full, and puts later writes of the turn in the next group', async () => {
    const r = recordedDb();
    const commits = new GroupCommit(r.connection, { maxGroup: 2 });
    const writes = ['a', 'b', 'c'].map((k) => commits.write(() => r.insert.run(k, k)));
    expect(r.log).toEqual(['BEGIN IMMEDIATE', 'COMMIT', 'BEGIN IMMEDIATE']);
    await Promise.all(writes);
    expect(r.log).toEqual(['BEGIN IMMEDIATE', 'COMMIT', 'BEGIN IMMEDIATE', 'COMMIT']);
  });

  it('rolls back only the failing operation of a group: the others commit and resolve', async () => {
    const r = recordedDb();
    const commits = new GroupCommit(r.connection);
    const before = r.track('before', commits.write(() => r.insert.run('a', 'kept')));
    const failing = r.track(
      'failing',
      commits.write(() => {
        r.insert.run('b', 'half of a batch');
        r.insert.run('a', 'duplicate key');
      }, 'several'),
    );
    const after = r.track('after', commits.write(() => r.insert.run('c', 'kept')));
    await expect(failing).rejects.toThrow(/UNIQUE constraint failed/);
    await Promise.all([before, after]);
    expect(r.rows()).toEqual([
      { k: 'a', v: 'kept' },
      { k: 'c', v: 'kept' },
    ]);
    expect(r.log.filter((entry) => entry === 'COMMIT')).toHaveLength(1);
  });

  it('rejects every operation of the group, reads included, when its COMMIT fails, and stores none of them', async () => {
    const r = recordedDb();
    const commits = new GroupCommit(r.connection);
    r.faults.failCommit = true;
    const group = [
      commits.write(() => r.insert.run('a', '1')),
      commits.read(() => r.rows().length),
      commits.write(() => r.insert.run('b', '2')),
    ];
    const settled = await Promise.allSettled(group);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((settled[0] as PromiseRejectedResult).reason)).toMatch(/disk is full/);
    expect(r.log).toEqual(['BEGIN IMMEDIATE', 'COMMIT', 'ROLLBACK']);
    expect(r.rows()).toEqual([]);
    // The next group starts clean.
    await commits.write(() => r.insert.run('c', '3'));
    expect(r.rows()).toEqual([{ k: 'c', v: '3' }]);
  });

  it('rejects the rest of the group when SQLite has rolled the whole transaction back after a failing statement', async () => {
    const r = recordedDb();
    const commits = new GroupCommit(r.connection);
    const earlier = commits.write(() => r.insert.run('a', '1'));
    // Stands for an I/O error after which SQLite ends the transaction by itself.
    const failing = commits.write(() => {
      r.db.exec('ROLLBACK');
      throw new Error('SQLITE_IOERR: disk I/O error');
    });
    await expect(failing).rejects.toThrow(/disk I\/O error/);
    await expect(earlier).rejects.toThrow(/nothing of them was stored/);
    await nextTurn();
    expect(r.rows()).toEqual([]);
  });

  it('flush commits what is pending at once, so close loses nothing', async () => {
    const r = recordedDb();
    const commits = new GroupCommit(r.connection);
    const write = commits.write(() => r.insert.run('a', '1'));
    commits.flush();
    expect(r.log).toEqual(['BEGIN IMMEDIATE', 'COMMIT']);
    await write;
    await nextTurn();
    expect(r.log).toEqual(['BEGIN IMMEDIATE', 'COMMIT']);
  });

  describe('with the fsync off the main thread (sync)', () => {
    /** A sync the test finishes by hand: `syncs` holds each started one, in order. */
    function manualSync(log: string[]) {
      const syncs: { finish: () => void; fail: (error: Error) => void }[] = [];
      const sync = () => new Promise<void>((resolve, reject) => {
        log.push(`fsync ${syncs.length + 1}`);
        syncs.push({ finish: resolve, fail: reject });
      });
      return { sync, syncs };
    }

    it('resolves a group only after the fsync that follows its COMMIT, and holds the next group open while that fsync runs, committing it just before the next fsync', async () => {
      const r = recordedDb();
      const { sync, syncs } = manualSync(r.log);
      const commits = new GroupCommit(r.connection, { sync, holdMs: 1_000 });
      const first = r.track('a', commits.write(() => r.insert.run('a', '1')));
      await nextTurn();
      expect(r.log).toEqual(['BEGIN IMMEDIATE', 'COMMIT', 'fsync 1']);
      // The next groups' writes would wait for the second fsync anyway: one transaction, one COMMIT, for the turns until it starts.
      const second = r.track('b', commits.write(() => r.insert.run('b', '2')));
      await nextTurn();
      const third = r.track('c', commits.write(() => r.insert.run('c', '3')));
      await nextTurn();
      expect(r.log).toEqual(['BEGIN IMMEDIATE', 'COMMIT', 'fsync 1', 'BEGIN IMMEDIATE']);
      syncs[0]!.finish();
      await first;
      // The held transaction commits right before the next fsync starts, as the first ends, before its operations' callbacks run.
      expect(r.log.slice(-3)).toEqual(['COMMIT', 'fsync 2', 'resolved a']);
      syncs[1]!.finish();
      await Promise.all([second, third]);
      expect(r.log.slice(-2)).toEqual(['resolved b', 'resolved c']);
      expect(syncs).toHaveLength(2);
      expect(r.log.filter((entry) => entry === 'COMMIT')).toHaveLength(2);
    });

    it('commits a held transaction after holdMs though the fsync it waits for has not ended, so the reads that saw it resolve', async () => {
      const r = recordedDb();
      const { sync, syncs } = manualSync(r.log);
      const commits = new GroupCommit(r.connection, { sync, holdMs: 5 });
      const first = commits.write(() => r.insert.run('a', '1'));
      await nextTurn();
      const second = r.track('b', commits.write(() => r.insert.run('b', '2')));
      const read = r.track('read', commits.read(() => r.rows().length));
      await nextTurn();
      expect(r.log).toEqual(['BEGIN IMMEDIATE', 'COMMIT', 'fsync 1', 'BEGIN IMMEDIATE']);
      expect(await read).toBe(2);
      // Committed by the hold's timer; the write still waits for an fsync that starts after the first ends.
      expect(r.log).toEqual(['BEGIN IMMEDIATE', 'COMMIT', 'fsync 1', 'BEGIN IMMEDIATE', 'COMMIT', 'resolved read']);
      syncs[0]!.finish();
      await first;
      expect(r.log.at(-1)).toBe('fsync 2');
      syncs[1]!.finish();
      await second;
    });

    it('with holdMs 0 commits every turn at its end while an fsync runs', async () => {
      const r = recordedDb();
      const { sync, syncs } = manualSync(r.log);
      const commits = new GroupCommit(r.connection, { sync, holdMs: 0 });
      const first = commits.write(() => r.insert.run('a', '1'));
      await nextTurn();
      const second = commits.write(() => r.insert.run('b', '2'));
      await nextTurn();
      expect(r.log).toEqual(['BEGIN IMMEDIATE', 'COMMIT', 'fsync 1', 'BEGIN IMMEDIATE', 'COMMIT']);
      syncs[0]!.finish();
      await first;
      syncs[1]!.finish();
      await second;
      expect(syncs).toHaveLength(2);
    });

    it('resolves a read at the COMMIT of the transaction it saw, without waiting for the fsync, and a write only after the fsync', async () => {
      const r = recordedDb();
      const { sync, syncs } = manualSync(r.log);
      const commits = new GroupCommit(r.connection, { sync });
      const write = r.track('write', commits.write(() => r.insert.run('a', '1')));
      const inside = r.track('read inside', commits.read(() => r.rows().length));
      expect(await inside).toBe(1);
      expect(r.log).toEqual(['BEGIN IMMEDIATE', 'COMMIT', 'fsync 1', 'resolved read inside']);
      expect(await commits.read(() => r.rows().length)).toBe(1);
      expect(r.log).not.toContain('resolved write');
      syncs[0]!.finish();
      await write;
      expect(syncs).toHaveLength(1);
    });

    it("resolves a write asked for with durability 'process' at its COMMIT, before the fsync the others wait for", async () => {
      const r = recordedDb();
      const { sync, syncs } = manualSync(r.log);
      const commits = new GroupCommit(r.connection, { sync });
      const marker = r.track('marker', commits.write(() => r.insert.run('m', '1'), 'one', 'process'));
      const item = r.track('item', commits.write(() => r.insert.run('i', '1')));
      await marker;
      expect(r.log).toEqual(['BEGIN IMMEDIATE', 'COMMIT', 'fsync 1', 'resolved marker']);
      syncs[0]!.finish();
      await item;
      expect(r.log.at(-1)).toBe('resolved item');
    });

    it("does not hold a transaction that has a write asked for with durability 'process': it commits at that turn's end, also when held from an earlier turn", async () => {
      const r = recordedDb();
      const { sync, syncs } = manualSync(r.log);
      const commits = new GroupCommit(r.connection, { sync, holdMs: 1_000 });
      const first = commits.write(() => r.insert.run('a', '1'));
      await nextTurn();
      // Held while fsync 1 runs (as above)...
      const held = r.track('held', commits.write(() => r.insert.run('b', '2')));
      await nextTurn();
      expect(r.log).toEqual(['BEGIN IMMEDIATE', 'COMMIT', 'fsync 1', 'BEGIN IMMEDIATE']);
      // ...until a marker (waited for inside a destination's slot) joins it: committed at this turn's end, not after holdMs.
      const marker = r.track('marker', commits.write(() => r.insert.run('m', '1'), 'one', 'process'));
      await nextTurn();
      await nextTurn();
      expect(r.log).toEqual(['BEGIN IMMEDIATE', 'COMMIT', 'fsync 1', 'BEGIN IMMEDIATE', 'COMMIT', 'resolved marker']);
      await marker;
      // The write beside it still waits for an fsync that starts after the COMMIT.
      syncs[0]!.finish();
      await first;
      expect(r.log.at(-1)).toBe('fsync 2');
      expect(r.log).not.toContain('resolved held');
      syncs[1]!.finish();
      await held;
      // The next turn's plain write is held again while an fsync runs.
      const next = commits.write(() => r.insert.run('c', '3'));
      await nextTurn();
      expect(r.log.slice(-2)).toEqual(['COMMIT', 'fsync 3']);
      const after = commits.write(() => r.insert.run('d', '4'));
      await nextTurn();
      expect(r.log.at(-1)).toBe('BEGIN IMMEDIATE');
      syncs[2]!.finish();
      await next;
      syncs[3]!.finish();
      await after;
    });

    it('rejects what a failed fsync was to make durable, and goes on with the next group', async () => {
      const r = recordedDb();
      const { sync, syncs } = manualSync(r.log);
      const commits = new GroupCommit(r.connection, { sync });
      const lost = commits.write(() => r.insert.run('a', '1'));
      await nextTurn();
      syncs[0]!.fail(new Error('EIO: i/o error, fsync'));
      await expect(lost).rejects.toThrow(/fsync of the store failed/);
      const next = commits.write(() => r.insert.run('b', '2'));
      await nextTurn();
      syncs[1]!.finish();
      await expect(next).resolves.toBeDefined();
    });

    it('settle waits for the fsync of everything committed, so close loses nothing', async () => {
      const r = recordedDb();
      const { sync, syncs } = manualSync(r.log);
      const commits = new GroupCommit(r.connection, { sync });
      const write = r.track('a', commits.write(() => r.insert.run('a', '1')));
      let settled = false;
      const settling = commits.settle().then(() => { settled = true; });
      expect(r.log).toEqual(['BEGIN IMMEDIATE', 'COMMIT', 'fsync 1']);
      await nextTurn();
      expect(settled).toBe(false);
      syncs[0]!.finish();
      await settling;
      await write;
      expect(settled).toBe(true);
    });
  });
});
