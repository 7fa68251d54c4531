import type { AgentFileFetcher } from '../../core/files/agent-file-stream.js';
import type { Conversation } from '../../core/model.js';
import type { DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxPayload } from '../../core/outbox/items.js';
import { sentRecordOp } from '../../core/sent-messages.js';
import { fileSteps, type FileStep } from '../file-steps.js';
import { FileOverLimit } from '../multipart-body.js';
import { fetchWithinLimit, overLimitOutcome, type FileStepRunner, type StepResult } from '../send-file-steps.js';
import { WHATSAPP_CAPTION, WHATSAPP_FILE_LIMITS } from './file-limits.js';
import type { GraphClient, GraphError } from './graph-client.js';

export interface WhatsAppMediaDeps {
  graph: GraphClient;
  fetchAgentFile: AgentFileFetcher;
  runner: FileStepRunner;
  classify(e: GraphError): DeliveryOutcome;
}

/**
 * An agent's reply with files to a WhatsApp customer: each file is streamed
 * from the messenger into `POST /{phone-number-id}/media`, then sent as an
 * image/video/audio/document message with that media id, the reply's text
 * the caption of the first file that takes one (or a text before them).
 */
export function sendWhatsAppMedia(d: WhatsAppMediaDeps, itemId: string, p: Extract<OutboxPayload, { op: 'customer.send' }>, conv: Conversation): Promise<DeliveryOutcome> {
  const steps = fileSteps(p.text, p.files ?? [], WHATSAPP_FILE_LIMITS, WHATSAPP_CAPTION);
  const record = (wamid: string): StepResult => ({
    records: [sentRecordOp('whatsapp', wamid, { convId: conv.id, ...(p.agentMessageId ? { agentMessageId: p.agentMessageId } : {}) })],
    detail: { wamid },
  });
  return d.runner.run(itemId, steps, async (step: FileStep): Promise<StepResult> => {
    if (step.kind === 'text') {
      const sent = await d.graph.sendText(conv.account, conv.customer.id, step.text);
      return sent.ok ? record(sent.value.wamid) : { stop: d.classify(sent.error) };
    }
    const got = await fetchWithinLimit(d.fetchAgentFile, step, 'WhatsApp');
    if ('stop' in got) return got;
    let uploaded;
    try {
      uploaded = await d.graph.uploadMedia(conv.account, { field: 'file', name: step.file.name, mime: step.file.mime, body: got.body, maxBytes: step.maxBytes, ...(got.size !== undefined ? { size: got.size } : {}) });
    } catch (err) {
      if (err instanceof FileOverLimit) return overLimitOutcome(step, 'WhatsApp');
      throw err;
    }
    if (!uploaded.ok) return { stop: d.classify(uploaded.error) };
    const sent = await d.graph.sendMedia(conv.account, conv.customer.id, step.as, { id: uploaded.value.id, ...(step.caption ? { caption: step.caption } : {}), filename: step.file.name });
    return sent.ok ? record(sent.value.wamid) : { stop: d.classify(sent.error) };
  });
}
