import type { Attachment, CustomerChannelName, TranscriptEntry } from '../model.js';
import type { StorePort } from '../ports.js';
import type { Conversations } from '../conversations.js';
import type { QuotedMessage } from '../render/render-reference.js';
import { keys } from '../keys.js';
import { readSentRecord } from '../sent-messages.js';

/** How far back a reaction or an edit is looked up in the transcript. */
const LOOKBACK_ENTRIES = 500;

export interface QuoteDeps {
  store: StorePort;
  conversations: Conversations;
}

/**
 * What the desk knows of an earlier message of a customer's conversation,
 * for a reaction, an edit or a deletion that points at it: the customer's
 * own message from the transcript (by the channel's message id), or the
 * fact that it was a reply sent from the desk, or only its id.
 */
export async function findQuotedMessage(d: QuoteDeps, channel: CustomerChannelName, account: string, customerId: string, messageId: string): Promise<QuotedMessage> {
  const convId = await d.store.getString(keys.customerConversation(channel, account, customerId));
  if (convId) {
    const entries = await d.conversations.transcript(convId, -LOOKBACK_ENTRIES, -1);
    const entry = [...entries].reverse().find((e) => e.direction === 'in' && e.channelMessageId === messageId);
    if (entry) return { id: messageId, text: textOf(entry), by: 'customer' };
  }
  if ((await readSentRecord(d.store, channel, messageId)) !== undefined) return { id: messageId, by: 'desk' };
  return { id: messageId };
}

/** A transcript entry as a quote: its text, or what it carried when it had none (a photo…). */
function textOf(e: TranscriptEntry): string {
  if (e.text.trim()) return e.text;
  const first = e.attachments?.[0];
  return first ? describeAttachment(first) : '';
}

function describeAttachment(a: Attachment): string {
  const kind = a.kind === 'image' ? 'photo' : a.kind;
  return a.fileName ? `their ${kind} ${a.fileName}` : `their ${kind}`;
}
