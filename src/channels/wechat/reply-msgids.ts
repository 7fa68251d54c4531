import type { AtomicPort, WriteOp } from '../../core/ports.js';

/** WeCom recalls a send_msg message only within 2 minutes of sending (kf/recall_msg). */
export const RECALL_WINDOW_MS = 2 * 60_000;
/** Kept a little past the recall window: after it, the msgids serve nothing. */
const KEEP_MS = 10 * 60_000;
/** A reply of more messages than this (text parts and files) is not one an agent deletes within 2 minutes. */
const MAX_PARTS = 20;

const key = (convId: string, agentMessageId: string, index: number) => `wechat:reply-msgid:${convId}:${agentMessageId}:${index}`;

/** One message a reply went out as: send_msg's msgid and when it was sent. */
export interface SentPart {
  msgid: string;
  at: number;
}

/**
 * The msgids a customer reply went out as, by part, so an agent's delete
 * within 2 minutes can recall exactly those messages (SPEC §13). Written in
 * the same batch as the send's own records.
 */
export const replyMsgids = {
  op(convId: string, agentMessageId: string, index: number, part: SentPart): WriteOp {
    return { kind: 'setString', key: key(convId, agentMessageId, index), value: JSON.stringify(part), ttlMs: KEEP_MS };
  },

  async of(store: Pick<AtomicPort, 'getString'>, convId: string, agentMessageId: string): Promise<SentPart[]> {
    const parts: SentPart[] = [];
    for (let i = 0; i < MAX_PARTS; i += 1) {
      const raw = await store.getString(key(convId, agentMessageId, i));
      if (!raw) break;
      parts.push(JSON.parse(raw) as SentPart);
    }
    return parts;
  },
};
