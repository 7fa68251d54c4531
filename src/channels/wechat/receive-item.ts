import type { Desk } from '../../core/desk.js';
import type { Logger } from '../../runtime/logger.js';
import type { Metrics } from '../../runtime/metrics.js';
import type { ReplyAllowance } from './allowance.js';
import type { KeptMedia } from './kept-media.js';
import { handleEvent, type EventDeps } from './handle-event.js';
import { showAllowance } from './show-allowance.js';
import { kfItem, type KfItem } from './sync-page.js';
import { toInbound } from './to-inbound.js';

export interface ReceiveItemDeps extends EventDeps {
  desk: Pick<Desk, 'receiveCustomerMessage' | 'conversations' | 'refreshHeader'>;
  allowance: ReplyAllowance;
  /** Where a customer's media is kept on arrival (absent: fetched when the thread is posted). */
  kept?: Pick<KeptMedia, 'keep'>;
  log: Logger;
  metrics: Metrics;
}

/**
 * One `sync_msg` item, on its own: an odd one is logged (never its text or
 * customer) and the page goes on. Origin 3 is the customer's, 4 a system
 * event, 5 what a servicer typed in the WeCom client, which is never shown
 * as the customer's (platform-facts.md §2).
 */
export async function receiveItem(d: ReceiveItemDeps, openKfId: string, raw: unknown): Promise<void> {
  const parsed = kfItem.safeParse(raw);
  if (!parsed.success) {
    d.log.warn({ openKfId }, 'a WeChat sync_msg item of an unexpected shape was left out; the rest of the page was processed');
    return;
  }
  const item: KfItem = parsed.data;
  if (item.origin === 3) return customerMessage(d, item.open_kfid ?? openKfId, item);
  if (item.origin === 4 || item.msgtype === 'event') return handleEvent(d, openKfId, item);
  d.metrics.inc('inbound_messages_total', { channel: 'wechat', outcome: 'servicer_ignored' });
  d.log.info({ openKfId, msgid: item.msgid, origin: item.origin, msgtype: item.msgtype }, 'a WeChat message from a servicer in the WeCom client was not mirrored');
}

async function customerMessage(d: ReceiveItemDeps, openKfId: string, item: KfItem): Promise<void> {
  const customer = item.external_userid;
  if (!customer) {
    d.log.warn({ openKfId, msgid: item.msgid }, 'a WeChat customer message without external_userid was left out');
    return;
  }
  const inbound = toInbound(item, openKfId, customer);
  if (inbound.problem) d.log.warn({ openKfId, msgid: item.msgid, msgtype: item.msgtype, problem: inbound.problem }, 'a WeChat message was shown in the thread as its type only');
  // Downloaded now, before the thread can be posted: WeChat keeps it 3 days, a thread post may come later.
  const media = (inbound.message.attachments ?? []).flatMap((a) => (a.mediaId ? [a.mediaId] : []));
  if (media.length) await d.kept?.keep(media);
  // The allowance first: the message's intake queues replies (the welcome, the away reply) that the
  // deliverer may send at once, and it checks them against this record. Safe to repeat (a duplicate,
  // a crash before the intake): it restarts from the message's own send_time.
  const record = await d.allowance.customerWrote(openKfId, customer, inbound.message.sentAt);
  const outcome = await d.desk.receiveCustomerMessage(inbound.message);
  d.metrics.inc('inbound_messages_total', { channel: 'wechat', outcome: outcome.status });
  if (outcome.status === 'accepted') await showAllowance(d.desk, outcome.conversation.id, record);
}
