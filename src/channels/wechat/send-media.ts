import type { AgentFileFetcher } from '../../core/files/agent-file-stream.js';
import { MB, type FileKind, type FileLimits } from '../../core/files/file-limits.js';
import type { Conversation } from '../../core/model.js';
import type { DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxPayload } from '../../core/outbox/items.js';
import { replyMsgids } from './reply-msgids.js';
import { sentRecordOp } from '../../core/sent-messages.js';
import { fileSteps, type FileStep } from '../file-steps.js';
import { FileOverLimit } from '../multipart-body.js';
import { fetchWithinLimit, overLimitOutcome, type FileStepRunner, type StepResult } from '../send-file-steps.js';
import { splitUtf8 } from './split-utf8.js';
import { TOKEN_ERRCODES, type WecomClient, type WecomError } from './wecom-client.js';

/**
 * What `media/upload` takes (WeCom media/upload doc, path/90253): images
 * JPG/PNG and videos MP4 up to 10 MB, voice AMR up to 2 MB, any other file
 * up to 20 MB; every file over 5 bytes.
 */
export const WECHAT_FILE_LIMITS: FileLimits = [
  { kind: 'image', mimes: ['image/jpeg', 'image/png'], maxBytes: 10 * MB },
  { kind: 'video', mimes: ['video/mp4'], maxBytes: 10 * MB },
  { kind: 'audio', mimes: ['audio/amr'], maxBytes: 2 * MB },
  { kind: 'document', mimes: 'any', maxBytes: 20 * MB },
];

const MSGTYPE: Record<FileKind, 'image' | 'video' | 'voice' | 'file'> = { image: 'image', video: 'video', audio: 'voice', document: 'file' };

export interface WechatMediaDeps {
  client: WecomClient;
  fetchAgentFile: AgentFileFetcher;
  runner: FileStepRunner;
  /** Before the first message: the allowance must cover all `messages`, and the session must be sendable. */
  checkBeforeSending(conv: Conversation, messages: number): Promise<DeliveryOutcome | undefined>;
  /** After each message: counts it against the customer's allowance. */
  afterSend(conv: Conversation): Promise<void>;
  classify(e: WecomError): DeliveryOutcome;
  textBytes: number;
  /** The desk's clock, for when each message went out. */
  now(): number;
}

/**
 * An agent's reply with files to a WeChat customer: WeChat messages carry no
 * caption, so the text goes first as text messages, then each file streamed
 * into `media/upload` and sent by send_msg as image/video/voice/file with
 * its media_id. Every message counts against the 5 replies a customer
 * message allows: all of them must fit before the first is sent.
 */
export function sendWechatMedia(d: WechatMediaDeps, itemId: string, p: Extract<OutboxPayload, { op: 'customer.send' }>, conv: Conversation): Promise<DeliveryOutcome> {
  const texts: FileStep[] = p.text.trim() ? splitUtf8(p.text.trim(), d.textBytes).map((text) => ({ kind: 'text', text })) : [];
  const steps = [...texts, ...fileSteps('', p.files ?? [], WECHAT_FILE_LIMITS, { limit: 0, kinds: [] })];
  const target = { touser: conv.customer.id, open_kfid: conv.account };
  return d.runner.run(itemId, steps, async (step, index): Promise<StepResult> => {
    if (index === 0) {
      const refused = await d.checkBeforeSending(conv, steps.length);
      if (refused) return { stop: refused };
    }
    let body: Record<string, unknown>;
    if (step.kind === 'text') body = { ...target, msgtype: 'text', text: { content: step.text } };
    else {
      const got = await fetchWithinLimit(d.fetchAgentFile, step, 'WeChat');
      if ('stop' in got) return got;
      const type = MSGTYPE[step.as];
      let uploaded;
      try {
        uploaded = await d.client.uploadMedia(type, { field: 'media', name: step.file.name, mime: step.file.mime, body: got.body, maxBytes: step.maxBytes, ...(got.size !== undefined ? { size: got.size } : {}) });
      } catch (err) {
        if (err instanceof FileOverLimit) return overLimitOutcome(step, 'WeChat');
        throw err;
      }
      if (!uploaded.ok) return { stop: TOKEN_ERRCODES.has(uploaded.error.errcode) ? { kind: 'retry', reason: 'WeCom token refreshed during an upload' } : d.classify(uploaded.error) };
      body = { ...target, msgtype: type, [type]: { media_id: uploaded.value.media_id } };
    }
    const sent = await d.client.post<{ msgid?: string }>('/cgi-bin/kf/send_msg', body);
    if (!sent.ok) return { stop: d.classify(sent.error) };
    await d.afterSend(conv);
    const msgid = sent.value.msgid ?? `${itemId}:${index}`;
    const record = sentRecordOp('wechat', msgid, { convId: conv.id, ...(p.agentMessageId ? { agentMessageId: p.agentMessageId } : {}) });
    // Kept for a recall within 2 minutes (recall-reply.ts).
    const recall = p.agentMessageId && sent.value.msgid ? [replyMsgids.op(conv.id, p.agentMessageId, index, { msgid, at: d.now() })] : [];
    return { records: [record, ...recall], detail: { msgid } };
  });
}
