import { randomBytes } from 'node:crypto';
import type { StorePort, WriteOp } from '../../core/ports.js';

/**
 * The change feed of visitors' histories on a shared (Redis) store: one list
 * that gets `<writer>.<n> <visitorId>` in the same atomic write as every
 * history line, so a hub follows it with one read per tick, however many
 * visitors have a socket there (follow-feed.ts). `<writer>` names the store
 * connection that wrote it (one per replica), `<n>` counts its writes: every
 * entry is unique, which lets a reader find its place again after a trim.
 * The embedded store has no feed: one process owns it, so every append is
 * local and announced in process (`onLocalAppend`).
 */
export const FEED_KEY = 'webchat:history-feed';

interface Writer { token: string; n: number; listeners: Set<(visitorId: string) => void> }

const writers = new WeakMap<StorePort, Writer>();

function writerOf(store: StorePort): Writer {
  let w = writers.get(store);
  if (!w) writers.set(store, (w = { token: randomBytes(6).toString('hex'), n: 0, listeners: new Set() }));
  return w;
}

/** The feed entry to write with a line appended to `visitorId`'s history; none on the embedded store. */
export function feedOps(store: StorePort, visitorId: string): WriteOp[] {
  if (store.kind !== 'redis') return [];
  const w = writerOf(store);
  return [{ kind: 'push', key: FEED_KEY, values: [`${w.token}.${++w.n} ${visitorId}`] }];
}

/** A feed entry's visitor, and whether this process wrote it through `store` (its appends are announced here already). */
export function readEntry(store: StorePort, entry: string): { visitorId: string; local: boolean } {
  const space = entry.indexOf(' ');
  return { visitorId: entry.slice(space + 1), local: entry.startsWith(`${writerOf(store).token}.`) };
}

/** Calls `listener` for every line appended through `store` in this process; returns the unsubscribe. */
export function onLocalAppend(store: StorePort, listener: (visitorId: string) => void): () => void {
  const { listeners } = writerOf(store);
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Tells this process's listeners (its hubs) that `visitorId` has a new line. */
export function announceLocal(store: StorePort, visitorId: string): void {
  for (const l of writerOf(store).listeners) l(visitorId);
}
