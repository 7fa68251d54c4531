import type { InboundCustomerMessage } from '../../core/model.js';
import type { QuotedMessage } from '../../core/render/render-reference.js';
import type { ParsedMessage } from './parse-webhook.js';
import { renderMessageContent } from './render-message-content.js';

/** A WhatsApp message as the core's neutral inbound message, with what the route must also do about it. */
export interface WhatsAppInbound {
  message: InboundCustomerMessage;
  /** Why the content was shown as unreadable (logged at warn with the message's type and id). */
  problem?: string;
  /** The customer's new id after a number change. */
  newCustomerId?: string;
}

/**
 * Every message becomes thread text: media as attachments with their
 * caption, everything else rendered readable (render-message-content.ts).
 * `quoted` is the earlier message a reaction, edit or deletion points at;
 * `receivedAt` stands in for a timestamp Meta sent in a form nobody can read.
 */
export function toInbound(p: ParsedMessage, quoted: QuotedMessage | undefined, receivedAt: number): WhatsAppInbound {
  const { message: m } = p;
  const content = renderMessageContent(m, quoted);
  return {
    message: {
      channel: 'whatsapp',
      account: p.phoneNumberId,
      customer: { id: p.sender, ...(p.name ? { name: p.name } : {}) },
      messageId: m.id,
      text: content.text,
      ...(content.attachments.length ? { attachments: content.attachments } : {}),
      sentAt: m.timestamp !== undefined ? m.timestamp * 1000 : receivedAt,
    },
    ...(content.problem ? { problem: content.problem } : {}),
    ...(content.newCustomerId ? { newCustomerId: content.newCustomerId } : {}),
  };
}
