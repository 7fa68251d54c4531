import type { Conversation } from '../../core/model.js';
import type { Clock } from '../../core/ports.js';

/** How long a record saved with its new thread stands in for a read. */
const FRESH_MS = 1000;
/** Records kept at most (one per thread opened and not yet posted in); the oldest goes first. */
const LIMIT = 1000;

/**
 * The record a deliverer saved as it opened a conversation's thread, for the
 * attempt right after (the conversation's first post, which comes next on
 * its lane, usually milliseconds later). It stands in for that attempt's read
 * of the conversation: it is the state the thread was recorded on a moment
 * ago, under the conversation's lock, so a read then would race a change the
 * same way. Taken once, and only within {@link FRESH_MS}; an attempt later
 * than that (a retry, or the lane moved to another replica) reads the store.
 */
export class JustOpened {
  private readonly saved = new Map<string, { conv: Conversation; at: number }>();

  constructor(private readonly clock: Pick<Clock, 'now'>) {}

  remember(conv: Conversation): void {
    this.saved.delete(conv.id);
    this.saved.set(conv.id, { conv, at: this.clock.now() });
    if (this.saved.size > LIMIT) this.saved.delete(this.saved.keys().next().value!);
  }

  /** The record saved for `convId` when it is still fresh, once; undefined otherwise. */
  take(convId: string): Conversation | undefined {
    const entry = this.saved.get(convId);
    if (!entry) return undefined;
    this.saved.delete(convId);
    return this.clock.now() - entry.at <= FRESH_MS ? entry.conv : undefined;
  }
}
