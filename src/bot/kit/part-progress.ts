import type { AtomicPort } from '../../core/ports.js';

/**
 * An outbox item outlives its retries by far less than a day; after that its
 * progress expires, so an item that failed or was dropped leaves nothing behind.
 */
export const PROGRESS_TTL_MS = 24 * 3600_000;

/**
 * How many calls of a multi-part outbox item already went out (the parts of
 * an over-long text, a text before its file, one file per call), kept in the
 * store by item id: a restart, or another replica taking the lane over,
 * continues at the next part instead of sending the first ones again.
 */
export class PartProgress {
  constructor(private readonly state: Pick<AtomicPort, 'getString' | 'setString' | 'deleteString'>) {}

  /** Calls already made for the item (0 before its first). */
  async sent(itemId: string): Promise<number> {
    const n = Number(await this.state.getString(key(itemId)));
    return Number.isInteger(n) && n > 0 ? n : 0;
  }

  /**
   * Makes the next of `total` calls (`send(index, last)`), then records it.
   * True when that was the last call and the item is done.
   */
  async step(itemId: string, total: number, send: (index: number, last: boolean) => Promise<void>): Promise<boolean> {
    // One call: nothing to count, and no store read on the path of nearly every message.
    if (total <= 1) { await send(0, true); return true; }
    const index = Math.min(await this.sent(itemId), total - 1);
    const last = index + 1 >= total;
    await send(index, last);
    // After the last call the count stays until its TTL: should the outbox not get to drop the
    // item (a crash just now), the retry repeats only that last call, never the earlier parts.
    if (!last) await this.state.setString(key(itemId), String(index + 1), PROGRESS_TTL_MS);
    return last;
  }

  /** Records `count` calls made (for a deliverer whose steps are not a plain count). */
  async record(itemId: string, count: number): Promise<void> {
    await this.state.setString(key(itemId), String(count), PROGRESS_TTL_MS);
  }

  /** The item is done (or failed): its progress is not needed any more. Best effort: the TTL removes it anyway. */
  async forget(itemId: string): Promise<void> {
    await this.state.deleteString(key(itemId)).catch(() => {});
  }
}

function key(itemId: string): string {
  return `part-progress:${itemId}`;
}
