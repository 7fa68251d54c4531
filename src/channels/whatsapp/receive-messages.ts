import { t } from '../../i18n/format.js';
import { queueLanguage } from '../../i18n/choose-language.js';
import type { Desk } from '../../core/desk.js';
import type { Logger } from '../../runtime/logger.js';
import type { Metrics } from '../../runtime/metrics.js';
import type { ParsedMessage, ParsedWebhook } from './parse-webhook.js';
import { referenceOf } from './render-message-content.js';
import { toInbound } from './to-inbound.js';

export interface ReceiveMessagesOptions {
  desk: Desk;
  /** The business number this desk answers (WHATSAPP_PHONE_NUMBER_ID). */
  phoneNumberId: string;
  log: Logger;
  metrics: Metrics;
}

/**
 * The messages of one webhook, each on its own: an unreadable one is logged
 * at warn with its type and id (never its sender or text) and the others go
 * on. Resolves once every accepted message is in the store (a repeat of one
 * still being processed waits for it, then counts as a duplicate).
 */
export async function receiveMessages(parsed: ParsedWebhook, o: ReceiveMessagesOptions, requestId: string): Promise<void> {
  for (const u of parsed.unreadable) {
    o.log.warn({ requestId, type: u.type, messageId: u.id, problem: u.problem }, 'a WhatsApp message could not be read and was left out; the rest of its webhook was processed');
  }
  for (const p of parsed.messages) {
    if (p.phoneNumberId !== o.phoneNumberId) {
      o.log.warn({ requestId }, 'message for another phone number id ignored (check WHATSAPP_PHONE_NUMBER_ID)');
      continue;
    }
    await receiveOne(p, o, requestId);
  }
}

async function receiveOne(p: ParsedMessage, o: ReceiveMessagesOptions, requestId: string): Promise<void> {
  const { desk } = o;
  const ref = referenceOf(p.message);
  const quoted = ref ? await desk.findQuotedMessage('whatsapp', p.phoneNumberId, p.sender, ref) : undefined;
  const inbound = toInbound(p, quoted, desk.clock.now());
  if (inbound.problem) {
    o.log.warn({ requestId, type: p.message.type, messageId: p.message.id, problem: inbound.problem }, 'a WhatsApp message of an unexpected shape was shown in the thread as unreadable');
  }
  const outcome = await desk.receiveCustomerMessage(inbound.message);
  o.metrics.inc('inbound_messages_total', { channel: 'whatsapp', outcome: outcome.status });
  // Also on a duplicate: the move is safe to repeat, and a crash may have come between the two steps.
  if (inbound.newCustomerId) {
    const moved = await desk.changeCustomerNumber({ channel: 'whatsapp', account: p.phoneNumberId, from: p.sender, to: inbound.newCustomerId });
    o.log.info({ requestId, messageId: p.message.id, outcome: moved.status }, 'a WhatsApp customer changed their number');
    if (moved.status === 'kept_apart' && outcome.status === 'accepted') {
      const conv = await desk.conversations.get(moved.convId);
      if (conv) await desk.notice(conv, t(queueLanguage(desk.settings, conv.queue), 'notice.number_changed_elsewhere'));
    }
  }
}
