/** Conversations remembered; the oldest is forgotten past this (its next post reads the conversation again). */
const LIMIT = 10_000;

/**
 * The channel each conversation's last thread post went to, as the deliverer
 * read it from the conversation, so an attempt's destination (the channel's
 * post budget) is known without reading the conversation a second time per
 * post. The deliverer always reads the conversation itself; when the channel
 * it finds differs from the one remembered (the conversation moved while the
 * post waited, or another replica moved it), the attempt made no call and is
 * tried again at once, through the right channel's budget.
 */
export class PostChannels {
  private readonly channels = new Map<string, string>();

  get(convId: string): string | undefined {
    return this.channels.get(convId);
  }

  /** Remembers `channel`; true when it is what was remembered (or nothing was), so the attempt's budget was right. */
  confirm(convId: string, channel: string): boolean {
    const known = this.channels.get(convId);
    this.channels.delete(convId);
    this.channels.set(convId, channel);
    if (this.channels.size > LIMIT) this.channels.delete(this.channels.keys().next().value!);
    return known === undefined || known === channel;
  }
}
