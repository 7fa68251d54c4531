import type { Message } from 'grammy/types';
import type { Attachment, InboundCustomerMessage } from '../../core/model.js';
import { renderContacts } from '../../core/render/render-contacts.js';
import { renderLocation } from '../../core/render/render-location.js';
import { renderEdit, type QuotedMessage } from '../../core/render/render-reference.js';

/** The bot's own account (from getMe): the channel account customers write to. */
export interface BotAccount { id: number }

/**
 * A customer writing to the bot in a private chat, as a customer message of
 * the `telegram` channel (the bot is the channel account, the user id the
 * customer). Media travel as attachments whose `mediaId` is Telegram's
 * `file_id`, which this bot may send again as it is.
 */
export function privateMessageToInbound(message: Message, me: BotAccount): InboundCustomerMessage | undefined {
  const customer = customerOf(message);
  if (!customer) return undefined;
  const attachments = attachmentsOf(message);
  const text = contentText(message);
  if (!text && !attachments.length) return undefined;
  return {
    channel: 'telegram',
    account: String(me.id),
    customer,
    messageId: customerMessageId(message),
    text,
    ...(attachments.length ? { attachments } : {}),
    sentAt: message.date * 1000,
  };
}

/** The id a customer's private message has in the transcript: `chat:message`, which its edits point at. */
export function customerMessageId(message: Pick<Message, 'chat' | 'message_id'>): string {
  return `${message.chat.id}:${message.message_id}`;
}

/**
 * A customer's edit of an earlier private message (`edited_message`), as a
 * customer message that shows the new content and quotes the old one.
 * Undefined for what is no edit a person made: a live location moving (a
 * new `edited_message` every few seconds) or an edit without content.
 */
export function privateEditToInbound(edited: Message, me: BotAccount, original: QuotedMessage): InboundCustomerMessage | undefined {
  const customer = customerOf(edited);
  if (!customer || edited.location) return undefined;
  const attachments = attachmentsOf(edited);
  const content = contentText(edited) || (attachments.length ? `(their ${attachments[0]!.kind === 'image' ? 'photo' : attachments[0]!.kind}, without a caption)` : '');
  if (!content) return undefined;
  const at = edited.edit_date ?? edited.date;
  return {
    channel: 'telegram',
    account: String(me.id),
    customer,
    // Each edit is a delivery of its own; repeats of the same edit share its date.
    messageId: `${customerMessageId(edited)}:edit:${at}`,
    text: renderEdit(content, original),
    sentAt: at * 1000,
  };
}

/**
 * The customer of a private chat: its sender, or the chat itself (in a
 * private chat the chat id is the user's id) when a payload leaves `from`
 * out. Never a bot.
 */
function customerOf(message: Message): InboundCustomerMessage['customer'] | undefined {
  if (message.chat.type !== 'private') return undefined;
  const from = message.from;
  if (from?.is_bot) return undefined;
  const person = from ?? { id: message.chat.id, first_name: message.chat.first_name, last_name: message.chat.last_name, username: message.chat.username };
  const name = [person.first_name, person.last_name].filter(Boolean).join(' ') || (person.username ? `@${person.username}` : undefined);
  return { id: String(person.id), ...(name ? { name } : {}) };
}

/** Content that Telegram delivers but the desk cannot show: named, so nothing vanishes silently. */
const UNSHOWN_CONTENT = ['poll', 'dice', 'game', 'story', 'invoice', 'paid_media', 'checklist', 'giveaway'] as const;

/**
 * A private message's words: its text or caption, or a shared venue,
 * location or contact rendered as text (src/core/render), or a note naming
 * content the desk cannot show.
 */
function contentText(message: Message): string {
  // Some clients and libraries send absent fields as null: typeof, not `!== undefined`.
  if (typeof message.text === 'string') return message.text;
  if (message.venue) {
    const { location: l, title, address } = message.venue;
    return renderLocation({ latitude: l?.latitude, longitude: l?.longitude, name: title, address });
  }
  if (message.location) {
    const l = message.location;
    return renderLocation({ latitude: l.latitude, longitude: l.longitude, ...(l.live_period ? { live: true } : {}) });
  }
  if (message.contact) {
    const c = message.contact;
    const name = [c.first_name, c.last_name].filter(Boolean).join(' ');
    return renderContacts([{ ...(name ? { name } : {}), phones: c.phone_number ? [c.phone_number] : [], emails: emailsOf(c.vcard) }]);
  }
  if (typeof message.caption === 'string') return message.caption;
  const fields: Record<string, unknown> = { ...message };
  const unshown = UNSHOWN_CONTENT.find((k) => fields[k] != null);
  return unshown ? `⚠️ The customer sent a Telegram ${unshown.replace('_', ' ')}, which the desk cannot show yet. Ask them to describe it in words if it matters.` : '';
}

/** E-mail addresses of a contact's vCard (`EMAIL;TYPE=…:a@b.c` lines). */
function emailsOf(vcard: string | undefined): string[] {
  return [...(vcard ?? '').matchAll(/^EMAIL[^:\r\n]*:(.+)$/gim)].map((m) => m[1]!.trim()).filter(Boolean);
}

/** A private message's media, as attachments whose `mediaId` is Telegram's `file_id`. */
function attachmentsOf(message: Message): Attachment[] {
  // The caption travels as the message's text.
  if (message.photo?.length) {
    // Sizes come smallest first; the last is the original.
    return [{ kind: 'image', mediaId: message.photo[message.photo.length - 1]!.file_id, mimeType: 'image/jpeg' }];
  }
  const file = message.document ?? message.video ?? message.audio ?? message.voice ?? message.sticker ?? message.animation ?? message.video_note;
  if (!file) return [];
  const kind: Attachment['kind'] = message.document ? 'document' : message.video || message.animation || message.video_note ? 'video' : message.sticker ? 'sticker' : 'audio';
  const meta = file as { file_name?: string; mime_type?: string };
  return [{ kind, mediaId: file.file_id, ...(meta.file_name ? { fileName: meta.file_name } : {}), ...(meta.mime_type ? { mimeType: meta.mime_type } : {}) }];
}
