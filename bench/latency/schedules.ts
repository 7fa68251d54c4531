/** One message the sender delivers: when (ms after the start), from which customer, and its place in that customer's sequence. */
export interface PlannedMessage {
  atMs: number;
  conversation: number;
  seq: number;
}

/**
 * A steady rate: message i at i/rate seconds, customers taken round robin, so
 * the first `conversations` messages open conversations and the rest are
 * follow-ups, each customer writing every conversations/rate seconds.
 */
export function steadyRate(ratePerSecond: number, seconds: number, conversations: number): PlannedMessage[] {
  const count = Math.floor(ratePerSecond * seconds);
  return Array.from({ length: count }, (_, i) => ({
    atMs: (i * 1000) / ratePerSecond,
    conversation: i % conversations,
    seq: Math.floor(i / conversations),
  }));
}

/**
 * Within the shipped budget of one post per second per channel: a first
 * message costs two posts (header card, then the text) so first messages are
 * `firstGapMs` apart; then one follow-up per conversation, `followUpGapMs`
 * apart. Both gaps must leave the 1 s spacing room, or the figure measures
 * queueing again.
 */
export function withinPostBudget(conversations: number, firstGapMs: number, followUpGapMs: number): PlannedMessage[] {
  const firsts = Array.from({ length: conversations }, (_, c) => ({ atMs: c * firstGapMs, conversation: c, seq: 0 }));
  const start = conversations * firstGapMs;
  const followUps = Array.from({ length: conversations }, (_, c) => ({ atMs: start + c * followUpGapMs, conversation: c, seq: 1 }));
  return [...firsts, ...followUps];
}
