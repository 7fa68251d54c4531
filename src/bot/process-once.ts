import type { Dedupe } from '../core/dedupe.js';
import { DeliveryInFlightError } from '../runtime/retry-with-backoff.js';

/**
 * Processes a platform delivery once per id on top of the dedupe marks, for
 * transports that retry a failed delivery themselves (the Telegram poller and
 * webhook, the Discord message handler):
 *
 * - done before: resolves with 'duplicate' and runs nothing;
 * - in flight (another request has it, or a process that may have died):
 *   throws {@link DeliveryInFlightError}, a passing fault, so the delivery is
 *   tried again later and never counted as handled;
 * - `run` fails: its in-flight mark is removed so the retry is let through.
 *   When the store refused that too (it is down), the mark is removed at the
 *   start of the next attempt instead of blocking the retry until it expires.
 *   Only this process's own mark is ever removed, and only one attempt does it;
 * - `run` succeeded but the done mark could not be written: the next attempt
 *   writes it and runs nothing again.
 */
export function processOnce(dedupe: Dedupe, source: string): (key: string, run: () => Promise<void>) => Promise<'done' | 'duplicate'> {
  const unaborted = new Set<string>();
  const uncommitted = new Set<string>();
  return async (key, run) => {
    if (uncommitted.has(key)) {
      await dedupe.commit(source, key);
      uncommitted.delete(key);
      return 'done';
    }
    // `delete` answers true for one caller only: two attempts never both clear the mark.
    if (unaborted.delete(key)) {
      try { await dedupe.abort(source, key); } catch (err) { unaborted.add(key); throw err; }
    }
    const state = await dedupe.begin(source, key);
    if (state === 'duplicate') return 'duplicate';
    if (state === 'in_flight') throw new DeliveryInFlightError(`${source} delivery ${key}`);
    try {
      await run();
    } catch (err) {
      await dedupe.abort(source, key).catch(() => { unaborted.add(key); });
      throw err;
    }
    try {
      await dedupe.commit(source, key);
    } catch (err) {
      uncommitted.add(key);
      throw err;
    }
    return 'done';
  };
}
