import type { Desk } from '../../core/desk.js';
import type { StorePort } from '../../core/ports.js';
import type { Metrics } from '../../runtime/metrics.js';
import { INLINE_IMAGE_TYPES, type FileInfo, type WebchatFiles } from './files.js';
import type { VisitorHistory } from './history.js';
import type { MessageLimiter, RefusalCode } from './limits.js';
import type { SendFrame } from './protocol.js';

export interface VisitorMessageDeps {
  desk: Pick<Desk, 'receiveCustomerMessage'>;
  store: StorePort;
  history: VisitorHistory;
  files: WebchatFiles;
  limiter: MessageLimiter;
  metrics: Metrics;
}

/** Who sent it, as the socket knows them. */
export interface VisitorMessageSender {
  visitorId: string;
  queue: string;
  customerName?: string;
  ip: string;
}

export type TakeOutcome = { ok: true } | { ok: false; code: RefusalCode; retryInMs?: number };

/** How long a visitor's resent message is recognised as already stored. */
const SEEN_TTL_MS = 7 * 24 * 3600_000;

/**
 * A visitor's message: checked against the limits, appended to their history
 * once, and handed to the desk as a customer message on channel `webchat`
 * (account: the widget's queue). A resend with the same client id (its ack
 * was lost in a drop) is recognised by a mark and not appended again; the
 * desk dedupes on the message id, so a retry after a failure reaches it once.
 */
export async function takeVisitorMessage(d: VisitorMessageDeps, from: VisitorMessageSender, frame: SendFrame, now: number): Promise<TakeOutcome> {
  const text = frame.text.replace(/\r\n?/g, '\n');
  const files: FileInfo[] = [];
  for (const id of frame.files ?? []) {
    const f = await d.files.ownedBy(id, from.visitorId);
    if (!f) return { ok: false, code: 'unknown_file' };
    files.push(f);
  }
  const seenKey = `webchat:seen:${from.visitorId}:${frame.clientId}`;
  if (await d.store.setIfAbsent(seenKey, '1', SEEN_TTL_MS)) {
    const verdict = d.limiter.check(from.visitorId, from.ip, text, now, files.length > 0);
    if (!verdict.ok) {
      // Refused messages may be sent again later under the same id.
      await d.store.deleteString(seenKey);
      d.metrics.inc('webchat_refused_total', { reason: verdict.code });
      return verdict;
    }
    await d.history.append(from.visitorId, { author: 'visitor', text, at: now, clientId: frame.clientId, ...(files.length ? { files } : {}) });
  }
  const outcome = await d.desk.receiveCustomerMessage({
    channel: 'webchat',
    account: from.queue,
    customer: { id: from.visitorId, ...(from.customerName ? { name: from.customerName } : {}) },
    messageId: `${from.visitorId}:${frame.clientId}`,
    text,
    // The messenger fetches the bytes by media id (ChannelParts.fetchMedia) to upload them into the thread.
    ...(files.length ? { attachments: files.map((f) => ({ kind: INLINE_IMAGE_TYPES.has(f.mime) ? 'image' as const : 'file' as const, mediaId: f.id, mimeType: f.mime, fileName: f.name })) } : {}),
    sentAt: now,
  });
  d.metrics.inc('inbound_messages_total', { channel: 'webchat', outcome: outcome.status });
  return { ok: true };
}
