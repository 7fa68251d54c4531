import type { AtomicPort } from './ports.js';
import { keys } from './keys.js';

/**
 * Every platform delivery may arrive twice (Slack retries, WhatsApp resends a
 * wamid for up to 7 days, Telegram repeats an update_id). A delivery is first
 * marked `pending` for a short time, processed, then marked `done` for long:
 * a crash while pending lets the platform's retry through once the mark
 * expires (nothing lost), a finished delivery is never processed again.
 */
export type DedupeState = 'new' | 'duplicate' | 'in_flight';

export interface Dedupe {
  begin(source: string, id: string): Promise<DedupeState>;
  commit(source: string, id: string): Promise<void>;
  abort(source: string, id: string): Promise<void>;
}

export interface DedupeOptions {
  /** How long a delivery may stay in processing before a retry may take it over. */
  pendingMs?: number;
  /** How long a finished delivery is remembered (WhatsApp retries for 7 days). */
  doneMs?: number;
}

export function createDedupe(atomic: AtomicPort, opts: DedupeOptions = {}): Dedupe {
  const pendingMs = opts.pendingMs ?? 120_000;
  const doneMs = opts.doneMs ?? 8 * 24 * 3600_000;
  return {
    async begin(source, id) {
      const key = keys.dedupe(source, id);
      if (await atomic.setIfAbsent(key, 'pending', pendingMs)) return 'new';
      return (await atomic.getString(key)) === 'done' ? 'duplicate' : 'in_flight';
    },
    async commit(source, id) {
      await atomic.setString(keys.dedupe(source, id), 'done', doneMs);
    },
    async abort(source, id) {
      await atomic.compareAndDelete(keys.dedupe(source, id), 'pending');
    },
  };
}
