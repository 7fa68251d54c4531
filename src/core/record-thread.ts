import type { Conversation, ThreadRef } from './model.js';
import type { Conversations } from './conversations.js';

/**
 * A messenger opened (or re-opened) the thread of a conversation: the
 * conversation points at it, and the thread index points back, so messages in
 * the thread find their conversation. The index and the record are one atomic
 * batch (one store call): never an index pointing at a record that does not
 * know its thread, nor a record without its index.
 */
export function recordThread(conversations: Pick<Conversations, 'updateWith' | 'indexThreadOp'>, convId: string, thread: ThreadRef): Promise<Conversation | undefined> {
  return conversations.updateWith(convId, (c) => ({ ...c, thread }), (next) => {
    const index = conversations.indexThreadOp(next);
    return index ? [index] : [];
  });
}
