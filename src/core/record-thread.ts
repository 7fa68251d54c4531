import type { Conversation, ThreadRef } from './model.js';
import type { Conversations } from './conversations.js';

/**
 * A messenger opened (or re-opened) the thread of a conversation: the
 * conversation points at it, and the thread index points back, so messages in
 * the thread find their conversation.
 */
export async function recordThread(conversations: Pick<Conversations, 'update' | 'indexThread'>, convId: string, thread: ThreadRef): Promise<Conversation | undefined> {
  const conv = await conversations.update(convId, (c) => ({ ...c, thread }));
  if (conv) await conversations.indexThread(conv);
  return conv;
}
