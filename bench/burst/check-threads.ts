import type { StoredMessage } from '../../tests/fakes/slack/index.js';

/** One conversation of the burst: who wrote, and the texts in the order they were sent. */
export interface ExpectedConversation {
  name: string;
  texts: readonly string[];
}

/** What the Slack thread of one conversation shows. */
export interface ThreadCheck {
  name: string;
  /** ts of the header card (the thread), when one was posted. */
  thread: string | undefined;
  /** Replies in the thread that carry at least one of its texts. */
  posts: number;
  visible: number;
  lost: number;
  /** Texts that appeared more than once. */
  duplicates: number;
  /** Adjacent pairs, in thread order, where a later-sent text appears before an earlier one. */
  orderViolations: number;
  /** Texts found in some other conversation's thread. */
  misplaced: number;
}

/**
 * Reads the fake Slack's messages as an agent would: one thread per
 * conversation (the header card naming the customer), whose replies must show
 * every text once, in sent order. A coalesced post holds several texts, one
 * per line.
 */
export function checkThreads(channel: string, messages: readonly StoredMessage[], expected: readonly ExpectedConversation[]): ThreadCheck[] {
  const headers = messages.filter((m) => m.channel === channel && m.bot_id && !m.thread_ts);
  const linesByThread = new Map<string, string[]>();
  const posts = new Map<string, string[][]>();
  for (const m of messages) {
    if (m.channel !== channel || !m.thread_ts || m.thread_ts === m.ts) continue;
    const lines = m.text.split('\n');
    linesByThread.set(m.thread_ts, [...(linesByThread.get(m.thread_ts) ?? []), ...lines]);
    posts.set(m.thread_ts, [...(posts.get(m.thread_ts) ?? []), lines]);
  }
  const owner = new Map<string, string>();
  for (const c of expected) for (const t of c.texts) owner.set(t, c.name);

  return expected.map((c) => {
    const header = headers.find((h) => JSON.stringify(h.blocks ?? h.text).includes(c.name));
    const lines = header ? (linesByThread.get(header.ts) ?? []) : [];
    const index = new Map(c.texts.map((t, i) => [t, i]));
    const seq = lines.filter((l) => index.has(l)).map((l) => index.get(l)!);
    const seen = new Set(seq);
    let orderViolations = 0;
    for (let i = 1; i < seq.length; i++) if (seq[i]! < seq[i - 1]!) orderViolations += 1;
    let misplaced = 0;
    for (const [thread, other] of linesByThread) {
      if (thread === header?.ts) continue;
      misplaced += other.filter((l) => owner.get(l) === c.name).length;
    }
    return {
      name: c.name,
      thread: header?.ts,
      posts: header ? (posts.get(header.ts) ?? []).filter((p) => p.some((l) => index.has(l))).length : 0,
      visible: seen.size,
      lost: c.texts.length - seen.size,
      duplicates: seq.length - seen.size,
      orderViolations,
      misplaced,
    };
  });
}
