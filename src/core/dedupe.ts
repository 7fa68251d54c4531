import type { AtomicPort, WriteOp } from './ports.js';
import { keys } from './keys.js';

/**
 * Every platform delivery may arrive twice (Slack retries, WhatsApp resends a
 * wamid for up to 7 days, Telegram repeats an update_id). A delivery is first
 * marked in flight by the process that takes it, processed, then marked done
 * for long: a repeat of a finished delivery is never processed again, and a
 * repeat of one whose process died is taken over at once (the in-flight mark
 * names its process, and a dead process's mark counts as absent), so nothing
 * waits for the mark to expire after a crash.
 *
 * Where the effect of a delivery is stored, the done mark goes into the same
 * atomic batch (`doneOp`), so "processed" and "its effect is stored" are one
 * step and a crash between them cannot exist.
 */
export type DedupeState = 'new' | 'duplicate' | 'in_flight';

export interface Dedupe {
  begin(source: string, id: string): Promise<DedupeState>;
  commit(source: string, id: string): Promise<void>;
  abort(source: string, id: string): Promise<void>;
  /** The done mark as a write, for a batch that also stores the delivery's effect. */
  doneOp(source: string, id: string): WriteOp;
  /** True when the delivery is already marked done (its effect is stored). */
  isDone(source: string, id: string): Promise<boolean>;
}

/** Which processes are alive: the owner of an in-flight mark must be, or the mark is stale. */
export interface ProcessLiveness {
  /** This process's id, written into its in-flight marks. */
  readonly self: string;
  isAlive(processId: string): Promise<boolean>;
}

export interface DedupeOptions {
  /** Upper bound of an in-flight mark, in case its process hangs without dying. */
  pendingMs?: number;
  /** How long a finished delivery is remembered (WhatsApp retries for 7 days). */
  doneMs?: number;
  /** Without it every mark belongs to one anonymous process that is always alive (unit tests). */
  liveness?: ProcessLiveness;
}

const DONE = 'done';
const PENDING = 'pending:';

export function createDedupe(atomic: AtomicPort, opts: DedupeOptions = {}): Dedupe {
  const pendingMs = opts.pendingMs ?? 120_000;
  const doneMs = opts.doneMs ?? 8 * 24 * 3600_000;
  const liveness = opts.liveness ?? { self: 'local', isAlive: async () => true };
  const mine = `${PENDING}${liveness.self}`;
  return {
    async begin(source, id) {
      const key = keys.dedupe(source, id);
      // A few rounds: a competing taker may change the mark between our read and our write.
      for (let round = 0; round < 3; round++) {
        if (await atomic.setIfAbsent(key, mine, pendingMs)) return 'new';
        const current = await atomic.getString(key);
        if (current === undefined) continue;
        if (current === DONE) return 'duplicate';
        const owner = current.startsWith(PENDING) ? current.slice(PENDING.length) : undefined;
        // A mark without an owner (older versions) or held by a live process: still in flight.
        if (!owner || owner === liveness.self || (await liveness.isAlive(owner))) return 'in_flight';
        if (await atomic.compareAndSet(key, current, mine, pendingMs)) return 'new';
      }
      return 'in_flight';
    },
    async commit(source, id) {
      await atomic.setString(keys.dedupe(source, id), DONE, doneMs);
    },
    async abort(source, id) {
      await atomic.compareAndDelete(keys.dedupe(source, id), mine);
    },
    doneOp(source, id) {
      return { kind: 'setString', key: keys.dedupe(source, id), value: DONE, ttlMs: doneMs };
    },
    async isDone(source, id) {
      return (await atomic.getString(keys.dedupe(source, id))) === DONE;
    },
  };
}
