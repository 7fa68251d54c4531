import type { Conversation } from '../../src/core/model.js';
import type { StorePort, WriteOp } from '../../src/core/ports.js';

/**
 * A store whose writes stay pending until the test lets them go: `log` has
 * each write as it is issued, so a test sees which writes were issued
 * together (in one tick: one commit on the embedded store) and in what order.
 * `get` answers `conv`.
 */
export function pendingStore(conv: Conversation) {
  const log: string[] = [];
  /** The writes of each batch, as issued. */
  const batches: WriteOp[][] = [];
  const pending: (() => void)[] = [];
  const wait = (what: string) => new Promise<void>((resolve) => { log.push(what); pending.push(resolve); });
  const store = {
    get: async () => conv,
    set: (key: string) => wait(`set ${key}`),
    setString: (key: string, value: string) => wait(`setString ${key}=${value}`),
    writeAtomically: (ops: WriteOp[]) => { batches.push(ops); return wait('batch'); },
  } as unknown as StorePort;
  return { store, log, batches, release: () => { for (const r of pending.splice(0)) r(); } };
}
