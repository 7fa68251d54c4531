import type { Desk } from '../../core/desk.js';
import type { DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxItem } from '../../core/outbox/items.js';
import { sentRecordOp } from '../../core/sent-messages.js';
import { markOptedOut } from '../../core/templates/opt-out.js';
import type { GraphClient, GraphError } from './graph-client.js';
import type { TemplateRefresher } from './refresh-templates.js';

/** Meta's codes for a template send (its error-codes page): the customer stopped such messages, the values, the name. */
const STOPPED = 131050;
const PARAMETERS = 132000;
const NO_SUCH_TEMPLATE = 132001;

export interface TemplateSendDeps {
  graph: Pick<GraphClient, 'sendTemplate'>;
  desk: Pick<Desk, 'conversations' | 'refreshHeader' | 'clock'>;
  /** Absent without WHATSAPP_BUSINESS_ACCOUNT_ID (then no template passes the desk's check anyway). */
  refresher: Pick<TemplateRefresher, 'refresh'> | undefined;
  /** The deliverer's handling of every other Graph error (throughput, token, network…). */
  classify: (e: GraphError) => DeliveryOutcome;
}

/**
 * A `customer.template` item: the template message, recorded like a reply
 * (statuses name it). 131050 marks the customer opted out (header, and no
 * template until they write again); 132001 and 132000 mean the cached list
 * is stale, so it is read again, and the agents are told what Meta said.
 */
export async function deliverTemplate(d: TemplateSendDeps, item: OutboxItem): Promise<DeliveryOutcome> {
  const p = item.payload;
  if (p.op !== 'customer.template') return { kind: 'failed', consumed: 1, reason: `${p.op} is no template` };
  const conv = await d.desk.conversations.get(p.convId);
  if (!conv) return { kind: 'failed', consumed: 1, reason: `conversation ${p.convId} is gone` };
  // The customer may have written STOP between the command and this attempt.
  if (conv.optedOutAt !== undefined) return { kind: 'failed', consumed: 1, reason: 'customer opted out', failure: { code: 'customer_opted_out' } };
  const sent = await d.graph.sendTemplate(conv.account, conv.customer.id, p);
  if (sent.ok) return { kind: 'delivered', consumed: 1, detail: { wamid: sent.value.wamid }, records: [sentRecordOp('whatsapp', sent.value.wamid, { convId: conv.id })] };
  const e = sent.error;
  const reason = `WhatsApp ${e.code ?? e.httpStatus}: ${e.message}`;
  if (e.code === STOPPED) {
    if (await markOptedOut(d.desk.conversations, conv.id, d.desk.clock.now())) await d.desk.refreshHeader(conv);
    return { kind: 'failed', consumed: 1, reason, failure: { code: 'customer_opted_out' } };
  }
  if (e.code === NO_SUCH_TEMPLATE || e.code === PARAMETERS) {
    await d.refresher?.refresh();
    return e.code === NO_SUCH_TEMPLATE
      ? { kind: 'failed', consumed: 1, reason, failure: { code: 'unknown_template', detail: { name: p.name } } }
      : { kind: 'failed', consumed: 1, reason, failure: { code: 'channel_error', detail: { channel: 'WhatsApp', reason: `${e.code}: ${e.message}` } } };
  }
  return d.classify(e);
}
