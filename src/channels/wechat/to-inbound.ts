import type { Attachment, InboundCustomerMessage } from '../../core/model.js';
import { renderLocation } from '../../core/render/render-location.js';
import { linkContent, locationContent, mediaContent, textContent, type KfItem } from './sync-page.js';

/** WeChat media types as the desk's attachment kinds. */
const MEDIA_KINDS: Readonly<Record<string, Attachment['kind']>> = { image: 'image', voice: 'audio', video: 'video', file: 'file' };

/** A customer item (origin 3) as the core's inbound message, or why it could only be shown as unreadable. */
export interface WechatInbound {
  message: InboundCustomerMessage;
  problem?: string;
}

/**
 * A customer's `sync_msg` item as thread text: text as is; image, voice,
 * video and file as an attachment carrying the media_id (fetched through
 * `media/get`); location with a map link; a link with its title, description
 * and URL. Other kinds (mini programs, business cards, channel videos) are
 * named, so agents know something came and can ask the customer.
 */
export function toInbound(item: KfItem, openKfId: string, customer: string): WechatInbound {
  const base = { channel: 'wechat', account: openKfId, customer: { id: customer }, messageId: item.msgid, sentAt: item.send_time * 1000 } as const;
  const content = item[item.msgtype];
  const unreadable = (problem: string): WechatInbound => ({ message: { ...base, text: `[${item.msgtype}]` }, problem });
  switch (item.msgtype) {
    case 'text': {
      const t = textContent.safeParse(content);
      return t.success ? { message: { ...base, text: t.data.content } } : unreadable('text without content');
    }
    case 'image': case 'voice': case 'video': case 'file': {
      const m = mediaContent.safeParse(content);
      if (!m.success) return unreadable('media without media_id');
      return { message: { ...base, text: '', attachments: [{ kind: MEDIA_KINDS[item.msgtype]!, mediaId: m.data.media_id }] } };
    }
    case 'location': {
      const l = locationContent.safeParse(content);
      return l.success ? { message: { ...base, text: renderLocation(l.data) } } : unreadable('location of an unexpected shape');
    }
    case 'link': {
      const l = linkContent.safeParse(content);
      if (!l.success) return unreadable('link of an unexpected shape');
      const lines = [`🔗 ${l.data.title?.trim() || l.data.url || 'Link'}`];
      if (l.data.desc?.trim()) lines.push(l.data.desc.trim());
      if (l.data.url) lines.push(l.data.url);
      return { message: { ...base, text: lines.join('\n') } };
    }
    default:
      return unreadable(`message type ${item.msgtype} is not shown yet`);
  }
}
