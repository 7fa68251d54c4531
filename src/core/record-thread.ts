import type { Conversation, ThreadRef } from './model.js';
import type { Conversations } from './conversations.js';

/**
 * A messenger opened (or re-opened) the thread of a conversation: the
 * conversation points at it, and the thread index points back, so messages in
 * the thread find their conversation. The index is written alongside the
 * record (one commit on the embedded store, one round trip on Redis, the
 * record first): a crash leaves the record without its index at worst, never
 * an index pointing at a record that does not know its thread.
 */
export function recordThread(conversations: Pick<Conversations, 'update' | 'indexThread'>, convId: string, thread: ThreadRef): Promise<Conversation | undefined> {
  return conversations.update(convId, (c) => ({ ...c, thread }), (next) => conversations.indexThread(next));
}
