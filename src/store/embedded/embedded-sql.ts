import type { Database, Statement } from 'better-sqlite3';
import { atomicKeySql, type AtomicKeySql } from './atomic-key-sql.js';
import { counterSql, type CounterSql } from './counter-sql.js';
import { kvSql, type KvSql } from './kv-sql.js';
import { listSql, type ListSql } from './list-sql.js';
import { setMemberSql, type SetMemberSql } from './set-member-sql.js';
import { sortedMemberSql, type SortedMemberSql } from './sorted-member-sql.js';
import { expirySweep, type ExpirySweep } from './sweep-expired.js';

/** The embedded store's prepared statements, by kind of data. */
export interface EmbeddedSql {
  kv: KvSql;
  atomicKeys: AtomicKeySql;
  lists: ListSql;
  sets: SetMemberSql;
  sortedSets: SortedMemberSql;
  counters: CounterSql;
  sweep: ExpirySweep;
  ping: Statement;
}

/** Prepares every statement of the embedded store once, on its one connection. */
export function embeddedSql(db: Database): EmbeddedSql {
  return {
    kv: kvSql(db),
    atomicKeys: atomicKeySql(db),
    lists: listSql(db),
    sets: setMemberSql(db),
    sortedSets: sortedMemberSql(db),
    counters: counterSql(db),
    sweep: expirySweep(db),
    ping: db.prepare('SELECT 1'),
  };
}
