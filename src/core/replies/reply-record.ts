import type { AtomicPort, WriteOp } from '../ports.js';

/**
 * What the desk keeps of an agent's reply, by the agent message it came
 * from, so that an edit or a delete of that message in the thread can be
 * carried to the customer (or answered where the channel cannot), once.
 */
export interface ReplyRecord {
  /** The seat that wrote it: only they change it. */
  author: string;
  /** The wording the customer has now (after earlier edits). */
  text: string;
  at: number;
  /** The queue's agent prefix it went out with (core/agent-identity.ts): an edit keeps it. */
  prefix?: string;
  /** Set once the agent deleted it: later edits and deletes change nothing. */
  deleted?: true;
}

/** Agents fix a reply within minutes or days, rarely later; a month is plenty. */
const KEEP_MS = 30 * 24 * 3600_000;

const replyKey = (convId: string, agentMessageId: string) => `reply:${convId}:${agentMessageId}`;

/** The record of a reply as a write, for the reply's own atomic batch. */
export function replyRecordOp(convId: string, agentMessageId: string, record: ReplyRecord): WriteOp {
  return { kind: 'setString', key: replyKey(convId, agentMessageId), value: JSON.stringify(record), ttlMs: KEEP_MS };
}

/** The reply an agent message became, if it became one. */
export async function readReplyRecord(store: Pick<AtomicPort, 'getString'>, convId: string, agentMessageId: string): Promise<ReplyRecord | undefined> {
  const raw = await store.getString(replyKey(convId, agentMessageId));
  return raw === undefined ? undefined : (JSON.parse(raw) as ReplyRecord);
}
