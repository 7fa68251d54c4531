import type { Desk } from '../../core/desk.js';
import type { Attachment, Conversation } from '../../core/model.js';
import type { BatchPort, StorePort } from '../../core/ports.js';
import type { Failure } from '../../core/result.js';
import { sentRecordOp } from '../../core/sent-messages.js';
import type { Deliverer, DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxItem } from '../../core/outbox/items.js';
import type { KeptMedia } from './kept-media.js';
import type { Logger } from '../../runtime/logger.js';
import { WECHAT_ALLOWANCE, WECHAT_WINDOW_HOURS, type ReplyAllowance } from './allowance.js';
import { ensureSendable } from './session-state.js';
import { showAllowance } from './show-allowance.js';
import { splitUtf8 } from './split-utf8.js';
import { HTTP_ERROR, NETWORK_ERROR, type WecomClient, type WecomError } from './wecom-client.js';
import { customerSendAtHead } from '../customer-send.js';
import type { AgentFileFetcher } from '../../core/files/agent-file-stream.js';
import { FileStepRunner } from '../send-file-steps.js';
import { sendWechatMedia, type WechatMediaDeps } from './send-media.js';
import { recallWechatReply } from './recall-reply.js';
import { replyMsgids } from './reply-msgids.js';
import { plainPrefixed } from '../../core/agent-identity.js';

/** `text.content` is at most 2048 bytes, not characters (send_msg doc, K5). */
export const WECHAT_TEXT_BYTES = 2048;
const CHANNEL = 'WeChat';
/** WeCom's "system busy" and "api freq out of limit": try again later. */
const TRANSIENT = new Set([-1, 45009, 45033, NETWORK_ERROR, HTTP_ERROR]);

/**
 * Sends agents' replies with `kf/send_msg` to `touser` = the customer's
 * external_userid from `open_kfid` = the conversation's account. Before the
 * first call of a reply it checks the customer's allowance (5 messages per
 * customer message within 48 h, from its send_time) and the session state,
 * so a reply WeCom would refuse is never sent and the thread says why;
 * WeCom's own refusals (95001/95002/95013/95018) are told the same way.
 */
export class WechatDeliverer implements Deliverer {
  private readonly partProgress = new Map<string, number>();

  constructor(
    private readonly client: WecomClient,
    private readonly desk: Desk,
    private readonly allowance: ReplyAllowance,
    private readonly records: BatchPort & Pick<StorePort, 'getString' | 'setString'>,
    private readonly log: Logger,
    private readonly kept?: Pick<KeptMedia, 'get'>,
    fetchAgentFile: AgentFileFetcher = async () => ({ ok: false, retry: false, reason: 'no messenger gives files here' }),
  ) {
    this.media = {
      client, fetchAgentFile, runner: new FileStepRunner((ops) => records.writeAtomically(ops)), textBytes: WECHAT_TEXT_BYTES, now: () => desk.clock.now(),
      checkBeforeSending: (conv, n) => this.checkBeforeSending(conv, n), classify: (e) => this.classify(e),
      afterSend: async (conv) => { await showAllowance(desk, conv.id, await allowance.recordSend(conv.account, conv.customer.id)); },
    };
  }

  private readonly media: WechatMediaDeps;

  async destination(head: OutboxItem): Promise<string> {
    const p = head.payload;
    const conv = p.op === 'customer.send' || p.op === 'customer.change' ? await this.desk.conversations.get(p.convId) : undefined;
    return `wechat:account:${conv?.account ?? 'unknown'}`;
  }

  async deliver(items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    const first = items[0]!;
    if (first.payload.op === 'customer.change') {
      return recallWechatReply({ desk: this.desk, store: this.records, client: this.client, transient: (e) => TRANSIENT.has(e.errcode) }, first, first.payload);
    }
    const head = await customerSendAtHead(this.desk, items, 'WeChat');
    if ('failed' in head) return head.failed;
    const { item, conv } = head;
    // WeChat shows the account as sender: the queue's agent prefix, plain (`Ana · Acme: …`), names the agent.
    const p = { ...head.payload, text: plainPrefixed(head.payload.text, head.payload.identity?.prefix) };
    if (p.files?.length) return sendWechatMedia(this.media, item.id, p, conv);
    const parts = splitUtf8(p.text, WECHAT_TEXT_BYTES);
    const index = this.partProgress.get(item.id) ?? 0;
    if (index === 0) {
      const refused = await this.checkBeforeSending(conv, parts.length);
      if (refused) return refused;
    }
    const sent = await this.client.post<{ msgid?: string }>('/cgi-bin/kf/send_msg', {
      touser: conv.customer.id, open_kfid: conv.account, msgtype: 'text', text: { content: parts[index]! },
    });
    if (!sent.ok) return this.classify(sent.error);
    await showAllowance(this.desk, conv.id, await this.allowance.recordSend(conv.account, conv.customer.id));
    const msgid = sent.value.msgid ?? `${item.id}:${index}`;
    const record = sentRecordOp('wechat', msgid, { convId: conv.id, ...(p.agentMessageId ? { agentMessageId: p.agentMessageId } : {}) });
    // Kept for a recall within 2 minutes (recall-reply.ts): only WeCom's own msgid can be recalled.
    const records = p.agentMessageId && sent.value.msgid ? [record, replyMsgids.op(conv.id, p.agentMessageId, index, { msgid, at: this.desk.clock.now() })] : [record];
    if (index + 1 < parts.length) {
      await this.records.writeAtomically(records);
      this.partProgress.set(item.id, index + 1);
      return { kind: 'progress' };
    }
    this.partProgress.delete(item.id);
    return { kind: 'delivered', consumed: 1, detail: { msgid }, records };
  }

  /** Media bytes for an upload into the thread (`media/get`; WeChat keeps media 3 days). */
  async fetchMedia(conv: Conversation, a: Attachment): Promise<{ bytes: Buffer; fileName: string } | undefined> {
    if (conv.channel !== 'wechat' || !a.mediaId) return undefined;
    // The copy kept on arrival first: WeChat itself keeps media only 3 days.
    let media = await this.kept?.get(a.mediaId);
    if (!media) {
      const r = await this.client.getMedia(a.mediaId);
      if (!r.ok) { this.log.warn({ errcode: r.error.errcode }, 'could not fetch WeChat media'); return undefined; }
      media = r.value;
    }
    const ext = (media.contentType ?? 'application/octet-stream').split('/')[1]?.split(';')[0] ?? 'bin';
    return { bytes: media.bytes, fileName: media.fileName ?? a.fileName ?? `${a.kind}.${ext}` };
  }

  /** The allowance, then the session: a refusal as the outcome to record, or undefined to send. */
  private async checkBeforeSending(conv: Conversation, parts: number): Promise<DeliveryOutcome | undefined> {
    const check = await this.allowance.check(conv.account, conv.customer.id);
    if (check.kind === 'window_closed') {
      return refuse('WeChat 48 h window closed', { code: 'window_closed', detail: { channel: CHANNEL, windowHours: WECHAT_WINDOW_HOURS, ...(check.closesAt ? { closesAt: check.closesAt } : {}) } });
    }
    if (check.kind === 'used_up') {
      return refuse('WeChat reply allowance used', { code: 'reply_allowance_used', detail: { channel: CHANNEL, allowance: WECHAT_ALLOWANCE, windowHours: WECHAT_WINDOW_HOURS, since: check.since } });
    }
    // Every part of a long reply is a message of its own: all of them must fit, or none is sent.
    if (check.left < parts) {
      return refuse('WeChat reply allowance too small for this reply', { code: 'reply_allowance_used', detail: { channel: CHANNEL, allowance: WECHAT_ALLOWANCE, left: check.left, needed: parts } });
    }
    const state = await ensureSendable(this.client, conv.account, conv.customer.id);
    if (!state.ok) return this.classify(state.error);
    return state.value ? refuse(`WeChat session not sendable: ${state.value.code}`, state.value) : undefined;
  }

  private classify(e: WecomError): DeliveryOutcome {
    const reason = `WeChat ${e.errcode}: ${e.errmsg}`;
    if (e.errcode === 95001) return refuse(reason, { code: 'reply_allowance_used', detail: { channel: CHANNEL, allowance: WECHAT_ALLOWANCE, windowHours: WECHAT_WINDOW_HOURS } });
    if (e.errcode === 95002) return refuse(reason, { code: 'window_closed', detail: { channel: CHANNEL, windowHours: WECHAT_WINDOW_HOURS } });
    if (e.errcode === 95018) return refuse(reason, { code: 'session_with_servicer', detail: { channel: CHANNEL } });
    if (e.errcode === 95013) return refuse(reason, { code: 'session_ended', detail: { channel: CHANNEL } });
    if (TRANSIENT.has(e.errcode)) return { kind: 'retry', reason };
    if (e.errcode === 40001 || e.errcode === 40013 || e.errcode === 95011 || e.errcode === 95012) {
      this.log.error({ errcode: e.errcode }, 'WeCom refused the credentials: set WECOM_CORP_ID and the WeChat Customer Service secret (WECOM_SECRET) from the admin console and restart. Replies wait in the outbox meanwhile.');
      return { kind: 'retry', reason };
    }
    return refuse(reason, { code: 'channel_error', detail: { channel: CHANNEL, reason: `${e.errcode}: ${e.errmsg}` } });
  }
}

function refuse(reason: string, failure: Failure): DeliveryOutcome {
  return { kind: 'failed', consumed: 1, reason, failure };
}
