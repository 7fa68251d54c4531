import type { z } from 'zod';
import type { Attachment } from '../../core/model.js';
import { renderContacts } from '../../core/render/render-contacts.js';
import { renderLocation } from '../../core/render/render-location.js';
import { renderDeletion, renderEdit, renderReaction, type QuotedMessage } from '../../core/render/render-reference.js';
import {
  buttonContent, contactsContent, editContent, interactiveContent, locationContent, media, messageErrors, orderContent,
  reactionContent, revokeContent, systemContent, textContent, unsupportedContent,
} from './message-content.js';
import type { WhatsAppInboundMessage } from './parse-webhook.js';
import { renderButton, renderInteractive } from './render-interactive.js';
import { renderOrder } from './render-order.js';

/** What a message shows in the thread. */
export interface RenderedContent {
  text: string;
  attachments: Attachment[];
  /** The content did not match its type: shown as unreadable, and the route logs this at warn. */
  problem?: string;
  /** A number change: the customer's new id, for the route to move the conversation to. */
  newCustomerId?: string;
}

const MEDIA_KINDS = ['image', 'document', 'audio', 'video', 'sticker'] as const;
/** System message types that mean "this customer now has another number". */
const NUMBER_CHANGES = new Set(['user_changed_number', 'customer_changed_number']);

/** The earlier message a reaction, an edit or a deletion points at, to be looked up before rendering. */
export function referenceOf(m: WhatsAppInboundMessage): string | undefined {
  const read = <T extends z.ZodType>(schema: T, value: unknown): z.infer<T> | undefined => { const r = schema.safeParse(value); return r.success ? r.data : undefined; };
  if (m.type === 'reaction') return read(reactionContent, m.reaction)?.message_id;
  if (m.type === 'edit') return read(editContent, m.edit)?.original_message_id;
  if (m.type === 'revoke') return read(revokeContent, m.revoke)?.original_message_id;
  return undefined;
}

/**
 * Any inbound message as readable thread text (and media as attachments):
 * never "open WhatsApp to see it", since a Cloud API number has no app to
 * open. `quoted` is the earlier message a reaction, edit or deletion points
 * at (see referenceOf).
 */
export function renderMessageContent(m: WhatsAppInboundMessage, quoted?: QuotedMessage): RenderedContent {
  const rendered = renderByType(m, quoted ?? { id: referenceOf(m) ?? 'unknown' });
  const forwarded = m.context?.frequently_forwarded ? '↪️ Forwarded many times' : m.context?.forwarded ? '↪️ Forwarded' : undefined;
  if (!forwarded) return rendered;
  return { ...rendered, text: rendered.text ? `${forwarded}: ${rendered.text}` : forwarded };
}

function renderByType(m: WhatsAppInboundMessage, quoted: QuotedMessage): RenderedContent {
  const shown = (text: string): RenderedContent => ({ text, attachments: [] });
  const content = <T extends z.ZodType>(schema: T): z.infer<T> | undefined => {
    const r = schema.safeParse(m[m.type]);
    return r.success ? r.data : undefined;
  };
  switch (m.type) {
    case 'text': {
      const t = content(textContent);
      return t ? shown(t.body) : unreadable(m.type);
    }
    case 'image': case 'document': case 'audio': case 'video': case 'sticker':
      return renderMedia(m) ?? unreadable(m.type);
    case 'location': {
      const l = content(locationContent);
      return l ? shown(renderLocation(l)) : unreadable(m.type);
    }
    case 'contacts': {
      const cards = content(contactsContent);
      return cards ? shown(renderContacts(cards.map((c) => ({
        ...(contactName(c.name) ? { name: contactName(c.name) } : {}),
        phones: (c.phones ?? []).flatMap((p) => (p.phone ? [p.type ? `${p.phone} (${p.type.toLowerCase()})` : p.phone] : [])),
        emails: (c.emails ?? []).flatMap((e) => (e.email ? [e.email] : [])),
        ...(c.org?.company ? { organization: c.org.company } : {}),
      })))) : unreadable(m.type);
    }
    case 'reaction': {
      const r = content(reactionContent);
      return r ? shown(renderReaction(r.emoji, quoted)) : unreadable(m.type);
    }
    case 'interactive': {
      const i = content(interactiveContent);
      if (!i) return unreadable(m.type);
      return shown(renderInteractive(i) ?? `🔘 Answered an interactive message (${i.type}) in a way the desk cannot show yet`);
    }
    case 'button': {
      const b = content(buttonContent);
      return b ? shown(renderButton(b)) : unreadable(m.type);
    }
    case 'order': {
      const o = content(orderContent);
      return o ? shown(renderOrder(o)) : unreadable(m.type);
    }
    case 'system': return renderSystem(m) ?? unreadable(m.type);
    case 'edit': {
      const e = content(editContent);
      // An edit holds a message, never another edit: refusing that also bounds the recursion on a hostile body.
      if (!e || e.message.type === 'edit') return unreadable(m.type);
      // The new version is a whole message of its own; media in it are the same file with a new caption.
      const inner = renderByType({ ...e.message, id: m.id, type: e.message.type } as WhatsAppInboundMessage, quoted);
      if (inner.problem) return unreadable(m.type);
      const text = inner.text || (inner.attachments.length ? `(their ${inner.attachments[0]!.kind}, without a caption)` : '');
      return shown(renderEdit(text, quoted));
    }
    case 'revoke':
      return content(revokeContent) ? shown(renderDeletion(quoted)) : unreadable(m.type);
    case 'unsupported': case 'unknown':
      return shown(unsupported(content(unsupportedContent)?.type, m));
    default:
      return shown(`⚠️ The customer sent a WhatsApp message of type “${m.type}”, which the desk cannot show yet. Ask them to send it as text if it matters.`);
  }
}

function renderMedia(m: WhatsAppInboundMessage): RenderedContent | undefined {
  const kind = m.type as (typeof MEDIA_KINDS)[number];
  const r = media.safeParse(m[kind]);
  if (!r.success) return undefined;
  const a = r.data;
  const attachment: Attachment = {
    kind, mediaId: a.id,
    ...(a.mime_type ? { mimeType: a.mime_type } : {}),
    ...(a.caption ? { caption: a.caption } : {}),
    ...(a.filename ? { fileName: a.filename } : {}),
  };
  return { text: a.caption ?? '', attachments: [attachment] };
}

function renderSystem(m: WhatsAppInboundMessage): RenderedContent | undefined {
  const r = systemContent.safeParse(m.system);
  if (!r.success) return undefined;
  const s = r.data;
  const newId = s.wa_id ?? s.new_wa_id;
  if (s.type && NUMBER_CHANGES.has(s.type) && newId) {
    // The numbers stay out of the thread, as they stay out of the header.
    return {
      text: '📱 The customer changed their WhatsApp number. This conversation moves to the new number: their next messages continue it here, and replies go to the new number.',
      attachments: [],
      newCustomerId: newId,
    };
  }
  return { text: `ℹ️ WhatsApp: ${s.body?.trim() || s.type || 'a system message'}`, attachments: [] };
}

function unsupported(kind: string | undefined, m: WhatsAppInboundMessage): string {
  const errors = messageErrors.safeParse(m.errors);
  const why = errors.success ? errors.data.find((e) => e.title)?.title : undefined;
  return `⚠️ The customer sent a message WhatsApp does not pass on to businesses${kind ? ` (${kind})` : ''}${why ? `: ${why}` : ''}. Ask them to send it as text or a photo if it matters.`;
}

function unreadable(type: string): RenderedContent {
  return {
    text: `⚠️ The customer sent ${/^[aeiou]/i.test(type) ? 'an' : 'a'} ${type} message the desk could not read. Ask them to send it again, or as text.`,
    attachments: [],
    problem: `the ${type} content does not have the documented shape`,
  };
}

function contactName(n: z.infer<typeof contactsContent>[number]['name']): string | undefined {
  if (!n) return undefined;
  return n.formatted_name?.trim() || [n.first_name, n.last_name].filter(Boolean).join(' ').trim() || undefined;
}
