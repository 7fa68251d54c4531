/**
 * The earlier message a reaction, an edit or a deletion points at, as far
 * as the desk knows it: its text when the transcript has it, else who sent
 * it, else only the channel's id.
 */
export interface QuotedMessage {
  /** The channel's id of the earlier message (wamid, Telegram chat:message). */
  id: string;
  /** Its text as the thread showed it. */
  text?: string;
  /** `desk`: a reply an agent sent from this desk. */
  by?: 'customer' | 'desk';
}

/** How much of an earlier message a reference quotes. */
const QUOTE_CHARS = 80;

/** An earlier message named in a sentence: “its text…”, or a reply from the desk, or its id. */
export function quoteOf(q: QuotedMessage): string {
  const text = q.text?.replace(/\s+/g, ' ').trim();
  if (text) return `“${text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS - 1)}…` : text}”`;
  if (q.by === 'desk') return `a reply from the desk (${q.id})`;
  return `message ${q.id}`;
}

/** A reaction (or its removal: no emoji) to an earlier message. */
export function renderReaction(emoji: string | undefined, target: QuotedMessage): string {
  return emoji?.trim() ? `${emoji.trim()} reacted to ${quoteOf(target)}` : `Removed their reaction from ${quoteOf(target)}`;
}

/** A customer's edit of an earlier message: the new content, then what it replaced. */
export function renderEdit(newContent: string, original: QuotedMessage): string {
  return `✏️ edited: ${newContent.trim() || '(no text)'}\n(was ${quoteOf(original)})`;
}

/** A customer deleted an earlier message for everyone. */
export function renderDeletion(original: QuotedMessage): string {
  return `🗑️ Deleted ${quoteOf(original)}`;
}
