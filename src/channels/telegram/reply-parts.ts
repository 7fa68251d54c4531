import type { AtomicPort } from '../../core/ports.js';

/** As long as the desk keeps a reply's record (core/replies/reply-record.ts): its edits may come that late. */
const KEEP_MS = 30 * 24 * 3600_000;
/** A reply of more parts than this is not one an agent edits; the search for its parts stops here. */
export const MAX_PARTS = 20;

const partKey = (convId: string, agentMessageId: string, index: number) => `telegram:reply-part:${convId}:${agentMessageId}:${index}`;

/**
 * The private-chat message ids a customer reply went out as, by part, so an
 * agent's later edit or delete can change exactly those messages
 * (editMessageText / deleteMessage of the bot's own messages).
 */
export class ReplyParts {
  constructor(private readonly state: Pick<AtomicPort, 'getString' | 'setString'>) {}

  /** Part `index` of the reply went out as message `messageId`. */
  async sent(convId: string, agentMessageId: string, index: number, messageId: string): Promise<void> {
    await this.state.setString(partKey(convId, agentMessageId, index), messageId, KEEP_MS);
  }

  /** The reply's message ids in order; empty when it never went out. */
  async of(convId: string, agentMessageId: string): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < MAX_PARTS; i += 1) {
      const id = await this.state.getString(partKey(convId, agentMessageId, i));
      if (!id) break;
      ids.push(id);
    }
    return ids;
  }
}
