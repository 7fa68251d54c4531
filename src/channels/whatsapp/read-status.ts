import type { Desk } from '../../core/desk.js';
import { keys } from '../../core/keys.js';
import type { StorePort } from '../../core/ports.js';
import { readSentRecord } from '../../core/sent-messages.js';

/** Meta repeats statuses for up to a week. */
const KEEP_MS = 8 * 24 * 3600_000;

/**
 * A `read` status of a message the desk sent: the agent's mirrored message in
 * the thread gets its read mark (👀 beside the ✓), never a post. A reply sent
 * in several parts reports each part read, and Meta repeats statuses: the
 * mark is made once per agent message.
 */
export async function markReadInThread(wamid: string, o: { store: Pick<StorePort, 'get' | 'getString' | 'setIfAbsent'>; desk: Pick<Desk, 'conversations' | 'markDelivered'> }): Promise<void> {
  const sent = await readSentRecord(o.store, 'whatsapp', wamid);
  if (!sent?.agentMessageId) return; // the desk's own texts and other senders' messages have no mirrored message
  if (!(await o.store.setIfAbsent(keys.dedupe('whatsapp-read', `${sent.convId}:${sent.agentMessageId}`), '1', KEEP_MS))) return;
  const conv = await o.desk.conversations.get(sent.convId);
  if (conv) await o.desk.markDelivered(conv, sent.agentMessageId, 'read');
}
