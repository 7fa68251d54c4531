import type { StorePort } from '../../core/ports.js';
import type { VisitorHistory } from './history.js';

export interface SeenDeps {
  store: Pick<StorePort, 'getString' | 'setString'>;
  history: VisitorHistory;
  /** Marks the agent's message in the thread as read (a reaction through the outbox). */
  markRead(convId: string, agentMessageId: string): Promise<void>;
}

/** How many lines before the one seen are searched for the agent message it covers. */
const LOOK_BACK = 50;
/** How long the "read up to" of a visitor is kept: a visitor who returns later starts over, which costs one more mark. */
const READ_TTL_MS = 30 * 24 * 3600_000;

/**
 * The widget showed the visitor everything up to history id `seenId` (tab
 * visible, message in view). Only the newest agent message at or before it
 * that was not marked yet is marked read in the thread: one mark for many
 * lines seen at once, none for lines already covered. Returns whether a mark
 * was queued.
 */
export async function takeSeen(d: SeenDeps, visitorId: string, seenId: number): Promise<boolean> {
  const key = `webchat:read:${visitorId}`;
  const marked = Number((await d.store.getString(key)) ?? 0);
  if (!(seenId > marked)) return false;
  const from = Math.max(marked, seenId - LOOK_BACK);
  const lines = await d.history.since(visitorId, from, seenId - from);
  const newest = lines.reverse().find((l) => l.author === 'agent' && l.ref && l.convId);
  await d.store.setString(key, String(seenId), READ_TTL_MS);
  if (!newest?.ref || !newest.convId) return false;
  await d.markRead(newest.convId, newest.ref);
  return true;
}
