import type { Desk } from '../../core/desk.js';
import type { Attachment, Conversation } from '../../core/model.js';
import type { BatchPort } from '../../core/ports.js';
import { sentRecordOp } from '../../core/sent-messages.js';
import { splitText } from '../../core/outbox/coalesce.js';
import type { Deliverer, DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxItem } from '../../core/outbox/items.js';
import type { Logger } from '../../runtime/logger.js';
import type { GraphClient, GraphError } from './graph-client.js';
import { customerSendAtHead } from '../customer-send.js';
import { deliverTemplate } from './deliver-template.js';
import type { TemplateRefresher } from './refresh-templates.js';
import type { AgentFileFetcher } from '../../core/files/agent-file-stream.js';
import { FileStepRunner } from '../send-file-steps.js';
import { sendWhatsAppMedia } from './send-media.js';

/** Text messages carry at most 4,096 characters (platform-facts.md §1). */
export const WHATSAPP_TEXT_LIMIT = 4096;
/** A customer message opens or resets the 24-hour customer-service window; outside it only approved templates may be sent. */
export const WHATSAPP_WINDOW_HOURS = 24;
/** Said when Meta refuses a reply because that window closed (131047). */
export const WINDOW_CLOSED = { channel: 'WhatsApp', windowHours: WHATSAPP_WINDOW_HOURS } as const;

/**
 * Sends agents' replies through the Cloud API. Meta's error codes decide:
 * 131047 (the 24-hour window closed) is said in the thread; 130429
 * (throughput) pauses the number; 131056 (pair rate, ~1 message per 6 s to
 * one user, bursts of 45) backs off for that customer; server and network errors retry.
 */
export class WhatsAppDeliverer implements Deliverer {
  private readonly partProgress = new Map<string, number>();

  constructor(
    private readonly graph: GraphClient,
    private readonly desk: Desk,
    private readonly phoneNumberId: string,
    private readonly log: Logger,
    /** Where the records of a long reply's earlier parts are written. */
    private readonly records: BatchPort,
    /** Agents' files, streamed from their messenger. */
    private readonly fetchAgentFile: AgentFileFetcher,
    /** Reads the approved templates again when Meta says the cached list is stale (absent without a WABA id). */
    private readonly templates?: TemplateRefresher,
  ) {}

  private readonly fileRunner = new FileStepRunner((ops) => this.records.writeAtomically(ops));

  async destination(): Promise<string> {
    return `whatsapp:number:${this.phoneNumberId}`;
  }

  async deliver(items: readonly OutboxItem[]): Promise<DeliveryOutcome> {
    if (items[0]!.payload.op === 'customer.template') {
      return deliverTemplate({ graph: this.graph, desk: this.desk, refresher: this.templates, classify: (e) => this.classify(e) }, items[0]!);
    }
    const head = await customerSendAtHead(this.desk, items, 'WhatsApp');
    if ('failed' in head) return head.failed;
    const { item, payload: p, conv } = head;
    if (p.files?.length) return sendWhatsAppMedia({ graph: this.graph, fetchAgentFile: this.fetchAgentFile, runner: this.fileRunner, classify: (e) => this.classify(e) }, item.id, p, conv);
    // WhatsApp shows the business, never the agent: a configured prefix names them (`*Ana · Acme*: …`, bold in WhatsApp).
    const parts = splitText(p.identity?.prefix ? `*${p.identity.prefix}*: ${p.text}` : p.text, WHATSAPP_TEXT_LIMIT);
    const index = this.partProgress.get(item.id) ?? 0;
    const sent = await this.graph.sendText(conv.account, conv.customer.id, parts[index]!);
    if (!sent.ok) return this.classify(sent.error);
    const record = sentRecordOp('whatsapp', sent.value.wamid, { convId: conv.id, ...(p.agentMessageId ? { agentMessageId: p.agentMessageId } : {}) });
    if (index + 1 < parts.length) {
      await this.records.writeAtomically([record]);
      this.partProgress.set(item.id, index + 1);
      return { kind: 'progress' };
    }
    this.partProgress.delete(item.id);
    // Stored with the item's removal: nothing stands between Meta's answer and the outbox's record.
    return { kind: 'delivered', consumed: 1, detail: { wamid: sent.value.wamid }, records: [record] };
  }

  /** Media bytes for an upload into the thread. */
  async fetchMedia(conv: Conversation, a: Attachment): Promise<{ bytes: Buffer; fileName: string } | undefined> {
    if (conv.channel !== 'whatsapp' || !a.mediaId) return undefined;
    const r = await this.graph.fetchMedia(a.mediaId);
    if (!r.ok) { this.log.warn({ code: r.error.code, status: r.error.httpStatus }, 'could not fetch WhatsApp media'); return undefined; }
    const ext = (r.value.mimeType ?? a.mimeType ?? 'application/octet-stream').split('/')[1]?.split(';')[0] ?? 'bin';
    return { bytes: r.value.bytes, fileName: a.fileName ?? `${a.kind}.${ext}` };
  }

  private classify(e: GraphError): DeliveryOutcome {
    const reason = `WhatsApp ${e.code ?? e.httpStatus}: ${e.message}`;
    if (e.code === 131047) return { kind: 'failed', consumed: 1, reason, failure: { code: 'window_closed', detail: WINDOW_CLOSED } };
    if (e.code === 130429) return { kind: 'retry', afterMs: (e.retryAfterSeconds ?? 1) * 1000, reason, destinationWide: true };
    // Pair rate: bursts are borrowed from later, so back off exponentially (Meta suggests 4^n s).
    if (e.code === 131056) return { kind: 'retry', reason };
    if (e.code === 190 || e.httpStatus === 401) {
      this.log.error({ code: e.code }, 'WHATSAPP_ACCESS_TOKEN was refused: create a new system-user token in Meta Business settings and restart. Replies wait in the outbox meanwhile.');
      return { kind: 'retry', reason };
    }
    if (e.httpStatus === 0 || e.httpStatus === 429 || e.httpStatus >= 500) {
      return { kind: 'retry', reason, ...(e.retryAfterSeconds ? { afterMs: e.retryAfterSeconds * 1000 } : {}) };
    }
    return { kind: 'failed', consumed: 1, reason, failure: { code: 'channel_error', detail: { channel: 'WhatsApp', reason: `${e.code ?? e.httpStatus}: ${e.message}` } } };
  }
}
