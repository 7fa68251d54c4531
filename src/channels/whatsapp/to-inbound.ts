import type { Attachment, InboundCustomerMessage } from '../../core/model.js';
import type { WhatsAppInboundMessage } from './parse-webhook.js';

const MEDIA_KINDS = ['image', 'document', 'audio', 'video', 'sticker'] as const;

/** A WhatsApp message as the core's neutral inbound message; undefined for kinds the desk does not mirror. */
export function toInbound(phoneNumberId: string, name: string | undefined, m: WhatsAppInboundMessage): InboundCustomerMessage | undefined {
  const attachments: Attachment[] = [];
  for (const kind of MEDIA_KINDS) {
    const media = m[kind];
    if (media) {
      attachments.push({
        kind, mediaId: media.id,
        ...(media.mime_type ? { mimeType: media.mime_type } : {}),
        ...(media.caption ? { caption: media.caption } : {}),
        ...(media.filename ? { fileName: media.filename } : {}),
      });
    }
  }
  const text = m.text?.body ?? attachments.map((a) => a.caption).filter(Boolean).join('\n');
  if (!text && !attachments.length) {
    // Reactions, locations, contacts, interactive replies…: shown as a placeholder so nothing vanishes.
    return base(phoneNumberId, name, m, `[${m.type} message: open WhatsApp to see it]`, []);
  }
  return base(phoneNumberId, name, m, text, attachments);
}

function base(phoneNumberId: string, name: string | undefined, m: WhatsAppInboundMessage, text: string, attachments: Attachment[]): InboundCustomerMessage {
  return {
    channel: 'whatsapp',
    account: phoneNumberId,
    customer: { id: m.from, ...(name ? { name } : {}) },
    messageId: m.id,
    text,
    ...(attachments.length ? { attachments } : {}),
    sentAt: Number(m.timestamp) * 1000,
  };
}
