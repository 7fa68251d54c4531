import type { Desk } from '../../core/desk.js';
import type { DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxItem, OutboxPayload } from '../../core/outbox/items.js';
import type { StorePort } from '../../core/ports.js';
import { RECALL_WINDOW_MS, replyMsgids } from './reply-msgids.js';
import type { WecomClient, WecomError } from './wecom-client.js';

export interface RecallDeps {
  desk: Pick<Desk, 'conversations' | 'clock'>;
  store: Pick<StorePort, 'getString' | 'setString'>;
  client: Pick<WecomClient, 'post'>;
  /** WeCom's transient errors (busy, rate limits, the network): try again later. */
  transient(e: WecomError): boolean;
}

/** A recalled msgid is marked, so a retry after a crash does not recall it again. */
const RECALLED_TTL_MS = 10 * 60_000;

/**
 * An agent's edit or delete of a reply a WeChat customer got (SPEC §13).
 * WeChat changes no sent message; it recalls one (`kf/recall_msg` with
 * `open_kfid` and the `msgid` send_msg returned) within 2 minutes of sending.
 * A delete in time recalls every message the reply went out as; an edit, or
 * a delete later, is answered in the thread: the customer still sees it.
 */
export async function recallWechatReply(d: RecallDeps, item: OutboxItem, p: Extract<OutboxPayload, { op: 'customer.change' }>): Promise<DeliveryOutcome> {
  const change = p.text === undefined ? 'delete' : 'edit';
  const conv = await d.desk.conversations.get(p.convId);
  if (!conv) return { kind: 'failed', consumed: 1, reason: `conversation ${p.convId} is gone` };
  const tooLate: DeliveryOutcome = {
    kind: 'failed', consumed: 1, reason: `customer.change: WeChat recalls only within 2 minutes (${change})`,
    failure: { code: 'reply_recall_window', detail: { channel: 'WeChat', change, minutes: RECALL_WINDOW_MS / 60_000 } },
  };
  if (change === 'edit') return tooLate;
  const parts = await replyMsgids.of(d.store, conv.id, p.agentMessageId);
  // None kept: the reply went out longer ago than they are kept (well past the 2 minutes), or never.
  if (!parts.length || parts.some((s) => d.desk.clock.now() - s.at >= RECALL_WINDOW_MS)) return tooLate;
  for (const part of parts) {
    const mark = `wechat:recalled:${conv.account}:${part.msgid}`;
    if (await d.store.getString(mark)) continue;
    const r = await d.client.post('/cgi-bin/kf/recall_msg', { open_kfid: conv.account, msgid: part.msgid });
    if (!r.ok) {
      const reason = `WeChat ${r.error.errcode}: ${r.error.errmsg}`;
      if (d.transient(r.error)) return { kind: 'retry', reason };
      // The kf docs name no errcode for "too late"; whatever WeCom refuses is told with its reason.
      return { kind: 'failed', consumed: 1, reason: `customer.change: ${reason}`, failure: { code: 'reply_change_unsupported', detail: { channel: 'WeChat', change, reason } } };
    }
    await d.store.setString(mark, '1', RECALLED_TTL_MS);
  }
  return { kind: 'delivered', consumed: 1 };
}
