import type { SentMessage } from '../../tests/fakes/whatsapp/graph-fake-types.js';

/**
 * Finds, in what the fake Graph API accepted, when each reply text first
 * reached it (`time` is when the send arrived) and how often. Reads only the
 * sends it has not seen yet, so it can be asked again cheaply while a step
 * runs; returns those new sends (the status storm answers each).
 */
export class GraphSendMatcher {
  private scanned = 0;
  /** text → arrival of the first send carrying it. */
  readonly textAt = new Map<string, number>();
  /** Texts sent more than once (a reply must reach the customer exactly once). */
  duplicates = 0;
  /** Sends the fake took but answered with a failed status (outside the customer's window). */
  windowFailures = 0;

  constructor(private readonly isReply: (text: string) => boolean) {}

  scan(sent: readonly SentMessage[]): SentMessage[] {
    const fresh: SentMessage[] = [];
    for (; this.scanned < sent.length; this.scanned++) {
      const s = sent[this.scanned]!;
      if (s.text === undefined || !this.isReply(s.text)) continue;
      if (s.outcome !== 'accepted') this.windowFailures += 1;
      if (this.textAt.has(s.text)) this.duplicates += 1;
      else this.textAt.set(s.text, s.time);
      fresh.push(s);
    }
    return fresh;
  }
}
