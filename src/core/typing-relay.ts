import type { Conversation } from './model.js';
import type { Clock } from './ports.js';

/** A customer channel that can show "Ana is typing…" to the customer (web chat's widget). */
export type TypingSink = (conv: Conversation, agentName: string) => void;

/** At most one typing signal per conversation in this time: a messenger repeats it while the agent types. */
export const TYPING_EVERY_MS = 3000;

/**
 * Typing shown to customers while an agent writes in the thread, where the
 * messenger tells the bot (Discord's TYPING_START; Slack and Telegram do not
 * send bots typing events in threads). Ephemeral and best effort: no outbox,
 * nothing stored, one signal per conversation every {@link TYPING_EVERY_MS},
 * handed to the conversation's channel when that channel can show it.
 */
export class TypingRelay {
  private readonly sinks = new Map<string, TypingSink>();
  private readonly lastAt = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  /** A channel module that can show typing registers here at start. */
  register(channel: string, sink: TypingSink): void {
    this.sinks.set(channel, sink);
  }

  /** An agent is typing in the conversation's thread; true when the customer's channel was told. */
  agentTyping(conv: Conversation, agentName: string): boolean {
    const sink = this.sinks.get(conv.channel);
    if (!sink || conv.status === 'closed') return false;
    const now = this.clock.now();
    const last = this.lastAt.get(conv.id);
    if (last !== undefined && now - last < TYPING_EVERY_MS) return false;
    this.lastAt.set(conv.id, now);
    // Forget conversations nobody typed in lately, so the map stays small.
    if (this.lastAt.size > 1000) for (const [id, at] of this.lastAt) if (now - at >= TYPING_EVERY_MS) this.lastAt.delete(id);
    sink(conv, agentName);
    return true;
  }
}
