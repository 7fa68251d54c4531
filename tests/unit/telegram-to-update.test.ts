import type { CallbackQuery, Message } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS_ADMIN_ID, callbackToUpdate, groupMessageToUpdate, privateCommandOf } from '../../src/bot/telegram/to-update.js';
import { privateEditToInbound, privateMessageToInbound } from '../../src/channels/telegram/to-inbound.js';
import { callbackData, renderHeader } from '../../src/bot/telegram/render.js';
import { headerCard } from '../../src/core/header-card.js';
import { CHANNEL_TRAITS } from '../support/modules.js';

const me = { id: 7700000001, username: 'threaddesk_bot' };
const group = { id: -1001234567890, type: 'supergroup', title: 'Support desk', is_forum: true } as const;
const alex = { id: 1001, is_bot: false, first_name: 'Alex', username: 'alex_agent' };

/** A message as Telegram sends it in a forum topic (shape of a real update's `message`). */
function inTopic(text: string, extra: Record<string, unknown> = {}): Message {
  return { message_id: 42, date: 1_790_000_000, chat: group, from: alex, message_thread_id: 7, is_topic_message: true, text, ...extra } as unknown as Message;
}

describe('Telegram messages as neutral updates', () => {
  it('turns a person\'s topic message into a thread message located by chat and topic', () => {
    expect(groupMessageToUpdate(inTopic('Your refund is on its way'), me)).toEqual({
      kind: 'thread_message',
      actor: { platform: 'telegram', userId: '1001', name: '@alex_agent' },
      location: { workspace: '-1001234567890', channel: '-1001234567890', thread: '7' },
      messageId: '42',
      text: 'Your refund is on its way',
      mentions: [],
    });
  });

  it('drops bots, anonymous admins, messages on behalf of a chat and service messages', () => {
    expect(groupMessageToUpdate(inTopic('echo', { from: { id: me.id, is_bot: true, first_name: 'Threaddesk' } }), me)).toBeUndefined();
    expect(groupMessageToUpdate(inTopic('deploy done', { from: { id: 5550001, is_bot: true, first_name: 'Deploy' } }), me)).toBeUndefined();
    expect(groupMessageToUpdate(inTopic('hidden admin', { from: { id: ANONYMOUS_ADMIN_ID, is_bot: true, first_name: 'Group' }, sender_chat: group }), me)).toBeUndefined();
    expect(groupMessageToUpdate(inTopic('as the channel', { sender_chat: { id: -1009999, type: 'channel', title: 'News' } }), me)).toBeUndefined();
    const service = { ...inTopic(''), text: undefined, forum_topic_edited: { name: 'renamed' } } as unknown as Message;
    expect(groupMessageToUpdate(service, me)).toBeUndefined();
  });

  it('ignores a reply thread in the General topic, which carries message_thread_id without is_topic_message', () => {
    expect(groupMessageToUpdate(inTopic('hello', { is_topic_message: undefined }), me)).toBeUndefined();
  });

  it('reads /commands for this bot (with or without @name) and ignores those for another bot', () => {
    const claim = groupMessageToUpdate(inTopic('/claim@threaddesk_bot', { entities: [{ type: 'bot_command', offset: 0, length: 21 }] }), me);
    expect(claim).toMatchObject({ kind: 'command', name: 'claim', args: '', location: { thread: '7' } });
    const transfer = groupMessageToUpdate(inTopic('/transfer @sam_agent busy today', { entities: [{ type: 'bot_command', offset: 0, length: 9 }, { type: 'mention', offset: 10, length: 10 }] }), me);
    expect(transfer).toMatchObject({ kind: 'command', name: 'transfer', args: '@sam_agent busy today', mentions: ['@sam_agent'] });
    expect(groupMessageToUpdate(inTopic('/claim@other_bot', { entities: [{ type: 'bot_command', offset: 0, length: 16 }] }), me)).toBeUndefined();
  });

  it('collects mentions of colleagues (handles and text mentions), never the bot, and strips the bot\'s own handle', () => {
    const text = '@threaddesk_bot please ask @sam_agent and Kim';
    const u = groupMessageToUpdate(inTopic(text, { entities: [{ type: 'mention', offset: 0, length: 15 }, { type: 'mention', offset: 27, length: 10 }, { type: 'text_mention', offset: 42, length: 3, user: { id: 1004, is_bot: false, first_name: 'Kim' } }] }), me);
    expect(u).toMatchObject({ kind: 'thread_message', text: 'please ask @sam_agent and Kim', mentions: ['@sam_agent', '1004'] });
  });

  it('takes a private message as a telegram customer message, media as attachments by file_id', () => {
    const chat = { id: 2001, type: 'private', first_name: 'Casey' };
    const from = { id: 2001, is_bot: false, first_name: 'Casey', last_name: 'Customer' };
    const photo = { message_id: 5, date: 1_790_000_000, chat, from, caption: 'receipt', photo: [{ file_id: 'small', file_unique_id: 's', width: 90, height: 90 }, { file_id: 'large', file_unique_id: 'l', width: 1280, height: 960 }] } as unknown as Message;
    expect(privateMessageToInbound(photo, me)).toEqual({
      channel: 'telegram', account: String(me.id), customer: { id: '2001', name: 'Casey Customer' }, messageId: '2001:5',
      text: 'receipt', attachments: [{ kind: 'image', mediaId: 'large', mimeType: 'image/jpeg' }], sentAt: 1_790_000_000_000,
    });
    // Nothing the desk can show (no text, no media): no customer message.
    const empty = { ...photo, caption: undefined, photo: undefined } as unknown as Message;
    expect(privateMessageToInbound(empty, me)).toBeUndefined();
    const start = { message_id: 6, date: 1, chat, from, text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] } as unknown as Message;
    expect(privateCommandOf(start, me)).toMatchObject({ kind: 'command', name: 'start', location: { channel: '2001' } });
  });

  it('turns a header button into an action on its conversation, and refuses data it never sent', () => {
    const query = (data: string) => ({ id: '99', from: alex, chat_instance: '1', data, message: inTopic('header') }) as unknown as CallbackQuery;
    expect(callbackToUpdate(query('td:claim:conv-123'))).toEqual({
      kind: 'action', actor: { platform: 'telegram', userId: '1001', name: '@alex_agent' },
      location: { workspace: '-1001234567890', channel: '-1001234567890', thread: '7' }, name: 'claim', convId: 'conv-123',
    });
    expect(callbackToUpdate(query('something-else'))).toBeUndefined();
  });
});

describe('Telegram header card', () => {
  it('renders the header as plain text with one row of buttons whose callback_data fits in 64 bytes', () => {
    const conv = { id: 'mws5rbk52af264b1bb', channel: 'whatsapp', account: '1', customer: { id: '49170', name: 'Ana <b>&' }, queue: 'default', status: 'open', createdAt: 0, lastCustomerAt: 0 } as const;
    const r = renderHeader(headerCard({ ...conv }, undefined, 1000, CHANNEL_TRAITS));
    expect(r.text.split('\n').slice(0, 2)).toEqual(['🟡 Waiting for an agent', '👤 Ana <b>& · WhatsApp']);
    expect(r.reply_markup.inline_keyboard).toEqual([[{ text: 'Claim', callback_data: 'td:claim:mws5rbk52af264b1bb' }, { text: 'Close', callback_data: 'td:close:mws5rbk52af264b1bb' }]]);
    expect(() => callbackData('release', 'x'.repeat(60))).toThrow(/64 bytes/);
  });
});

describe('Telegram customer content beyond text', () => {
  const chat = { id: 2001, type: 'private', first_name: 'Casey', last_name: 'Customer', username: 'casey_c' } as const;
  const from = { id: 2001, is_bot: false, first_name: 'Casey', last_name: 'Customer', username: 'casey_c', language_code: 'de' };
  /** A private message as Telegram sends it (shape of a real update's `message`). */
  const priv = (content: Record<string, unknown>, extra: Record<string, unknown> = {}): Message => ({ message_id: 31, date: 1_790_000_100, chat, from, ...content, ...extra }) as unknown as Message;

  it('shows a location as a map link, a live one as live', () => {
    expect(privateMessageToInbound(priv({ location: { latitude: 41.40338, longitude: 2.17403 } }), me)?.text).toBe('📍 Location\nhttps://maps.google.com/?q=41.40338,2.17403');
    expect(privateMessageToInbound(priv({ location: { latitude: 41.4, longitude: 2.17, live_period: 900, heading: 90 } }), me)?.text).toBe('📍 Live location\nhttps://maps.google.com/?q=41.4,2.17');
  });

  it('shows a venue with its title, address and map link (Telegram sends its location beside it)', () => {
    const venue = priv({ location: { latitude: 48.8584, longitude: 2.2945 }, venue: { location: { latitude: 48.8584, longitude: 2.2945 }, title: 'Tour Eiffel', address: 'Champ de Mars, 75007 Paris', foursquare_id: '4adcda04f964a520' } });
    expect(privateMessageToInbound(venue, me)).toEqual({
      channel: 'telegram', account: String(me.id), customer: { id: '2001', name: 'Casey Customer' }, messageId: '2001:31',
      text: '📍 Tour Eiffel\nChamp de Mars, 75007 Paris\nhttps://maps.google.com/?q=48.8584,2.2945', sentAt: 1_790_000_100_000,
    });
  });

  it('shows a shared contact with its name, number and the e-mails of its vCard', () => {
    const vcard = 'BEGIN:VCARD\nVERSION:3.0\nFN:Noor Haddad\nTEL;TYPE=CELL:+971 50 123 4567\nEMAIL;TYPE=INTERNET:noor@example.org\nEND:VCARD';
    expect(privateMessageToInbound(priv({ contact: { phone_number: '+971501234567', first_name: 'Noor', last_name: 'Haddad', user_id: 3003, vcard } }), me)?.text)
      .toBe('👤 Contact: Noor Haddad · +971501234567 · noor@example.org');
    expect(privateMessageToInbound(priv({ contact: { phone_number: '+15550100', first_name: 'Sam' } }), me)?.text).toBe('👤 Contact: Sam · +15550100');
  });

  it('names content it cannot show (a poll, dice…) instead of dropping it', () => {
    const poll = privateMessageToInbound(priv({ poll: { id: 'p1', question: 'Which colour?', options: [], is_closed: false } }), me);
    expect(poll?.text).toMatch(/Telegram poll.*cannot show yet/);
    expect(privateMessageToInbound(priv({ dice: { emoji: '🎲', value: 4 } }), me)?.text).toContain('Telegram dice');
  });

  it('takes the customer from the private chat when a payload has no `from`, and never a bot', () => {
    const noFrom = { message_id: 1, date: 0, chat: { id: 555, type: 'private', first_name: 'Lu' }, location: { latitude: 1, longitude: 2 } } as unknown as Message;
    expect(privateMessageToInbound(noFrom, me)?.customer).toEqual({ id: '555', name: 'Lu' });
    expect(privateMessageToInbound(priv({ text: 'hi' }, { from: { id: 9, is_bot: true, first_name: 'B' } }), me)).toBeUndefined();
  });

  it('reads fields sent as null as absent', () => {
    const nulls = priv({ text: null, caption: null, location: null, venue: null, contact: null, photo: null, document: { file_id: 'doc1', file_unique_id: 'u', file_name: 'a.txt', mime_type: 'text/plain' } });
    expect(privateMessageToInbound(nulls, me)).toMatchObject({ text: '', attachments: [{ kind: 'document', mediaId: 'doc1' }] });
    expect(privateMessageToInbound(priv({ text: null }), me)).toBeUndefined();
  });

  it('shows an edit with the new text, quoting the original, as a delivery of its own', () => {
    const edited = priv({ text: 'Order 118, not 117', edit_date: 1_790_000_400 });
    expect(privateEditToInbound(edited, me, { id: '2001:31', text: 'Order 117 is late' })).toEqual({
      channel: 'telegram', account: String(me.id), customer: { id: '2001', name: 'Casey Customer' },
      messageId: '2001:31:edit:1790000400', text: '✏️ edited: Order 118, not 117\n(was “Order 117 is late”)', sentAt: 1_790_000_400_000,
    });
    expect(privateEditToInbound(priv({ caption: 'new caption', photo: [{ file_id: 'p', file_unique_id: 'u', width: 1, height: 1 }], edit_date: 1_790_000_401 }), me, { id: '2001:31' })?.text)
      .toBe('✏️ edited: new caption\n(was message 2001:31)');
  });

  it('ignores a moving live location, which Telegram sends as an edit every few seconds', () => {
    expect(privateEditToInbound(priv({ location: { latitude: 1, longitude: 2, live_period: 900 }, edit_date: 1_790_000_500 }), me, { id: '2001:31' })).toBeUndefined();
  });

  it('turns an agent\'s media in a topic into a thread message carrying its files and caption', () => {
    // Telegram sends a photo in several sizes, smallest first: the largest goes to the customer.
    const sizes = [{ file_id: 'p1', file_unique_id: 'u1', width: 90, height: 90, file_size: 1200 }, { file_id: 'p2', file_unique_id: 'u1b', width: 1280, height: 960, file_size: 98_000 }];
    const photo = inTopic('', { text: undefined, caption: 'the label @sam_agent', caption_entities: [{ type: 'mention', offset: 10, length: 10 }], photo: sizes });
    expect(groupMessageToUpdate(photo, me)).toMatchObject({ kind: 'thread_message', text: 'the label @sam_agent', mentions: ['@sam_agent'], files: [{ name: 'photo.jpg', mime: 'image/jpeg', size: 98_000, platform: 'telegram', ref: 'p2' }] });
    const doc = inTopic('', { text: undefined, document: { file_id: 'd1', file_unique_id: 'u2', file_name: 'refund.pdf', mime_type: 'application/pdf' } });
    expect(groupMessageToUpdate(doc, me)).toMatchObject({ kind: 'thread_message', text: '', files: [{ name: 'refund.pdf', mime: 'application/pdf', platform: 'telegram', ref: 'd1' }] });
    expect(groupMessageToUpdate(inTopic('plain'), me)).not.toHaveProperty('files');
  });
});
