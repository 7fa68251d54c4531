import type { Conversation } from './model.js';
import type { Clock } from './ports.js';
import type { Conversations } from './conversations.js';

/** What keeping a note needs. */
export interface NotePorts {
  clock: Clock;
  conversations: Pick<Conversations, 'appendTranscript'>;
}

/** An internal note: kept in the transcript, never sent to the customer. */
export async function addNote(d: NotePorts, conv: Pick<Conversation, 'id'>, author: string, text: string): Promise<void> {
  await d.conversations.appendTranscript(conv.id, { at: d.clock.now(), direction: 'note', text, author });
}
