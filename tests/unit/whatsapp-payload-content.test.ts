import { describe, expect, it } from 'vitest';
import { parseWebhook, type ParsedMessage } from '../../src/channels/whatsapp/parse-webhook.js';
import { referenceOf } from '../../src/channels/whatsapp/render-message-content.js';
import { toInbound, type WhatsAppInbound } from '../../src/channels/whatsapp/to-inbound.js';
import type { QuotedMessage } from '../../src/core/render/render-reference.js';
import { contactOf, waMessage, type RawMessage } from '../fixtures/whatsapp-messages.js';

/**
 * Every kind of inbound WhatsApp message becomes readable thread text (never
 * "open WhatsApp to see it": a Cloud API number has no app), through the same
 * parse → toInbound path the route uses.
 */
const PHONE_NUMBER_ID = '106540352242922';
const CUSTOMER = '4917612345678';
const RECEIVED_AT = Date.UTC(2026, 4, 4, 12, 0, 0);

function parsed(m: RawMessage, contacts: RawMessage[] = [contactOf({ name: 'Mira Okafor', waId: CUSTOMER })]): ParsedMessage {
  const body = { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '1555', phone_number_id: PHONE_NUMBER_ID }, contacts, messages: [m] } }] }] };
  const p = parseWebhook(body)!;
  expect(p.unreadable).toEqual([]);
  return p.messages[0]!;
}

function inbound(m: RawMessage, quoted?: QuotedMessage): WhatsAppInbound {
  return toInbound(parsed(m), quoted, RECEIVED_AT);
}

const textOf = (m: RawMessage, quoted?: QuotedMessage) => inbound(m, quoted).message.text;

describe('WhatsApp message content as thread text', () => {
  it('keeps a text as it is, with the customer, message id and send time', () => {
    const r = inbound(waMessage.text({ from: CUSTOMER, id: 'wamid.T', at: Date.UTC(2026, 4, 4, 11, 0, 0), body: 'Where is my parcel?' }));
    expect(r.message).toEqual({
      channel: 'whatsapp', account: PHONE_NUMBER_ID, customer: { id: CUSTOMER, name: 'Mira Okafor' },
      messageId: 'wamid.T', text: 'Where is my parcel?', sentAt: Date.UTC(2026, 4, 4, 11, 0, 0),
    });
    expect(r.problem).toBeUndefined();
  });

  it('uses the time of receipt when the timestamp could not be read', () => {
    expect(inbound({ ...waMessage.text({ from: CUSTOMER, body: 'x' }), timestamp: 'soon' }).message.sentAt).toBe(RECEIVED_AT);
  });

  it('shows a pinned place with its name, address and a map link', () => {
    expect(textOf(waMessage.location({ from: CUSTOMER, latitude: 52.5251, longitude: 13.3694, name: 'Berlin Hauptbahnhof', address: 'Europaplatz 1, 10557 Berlin', url: 'https://maps.google.com/?cid=1' })))
      .toBe('📍 Berlin Hauptbahnhof\nEuropaplatz 1, 10557 Berlin\nhttps://maps.google.com/?q=52.5251,13.3694');
  });

  it('shows a current location (coordinates only, even as numeric strings) as a map link', () => {
    expect(textOf(waMessage.location({ from: CUSTOMER, latitude: '-33.8568', longitude: '151.2153' }))).toBe('📍 Location\nhttps://maps.google.com/?q=-33.8568,151.2153');
  });

  it('says so instead of linking anywhere when the coordinates are placeholders or out of range', () => {
    expect(textOf(waMessage.location({ from: CUSTOMER, latitude: 'LATITUDE', longitude: 'LONGITUDE', name: 'Shop' }))).toBe('📍 Shop\n(no coordinates were sent)');
    expect(textOf(waMessage.location({ from: CUSTOMER, latitude: 95, longitude: 10 }))).toContain('(no coordinates were sent)');
  });

  it('shows shared contacts with names, numbers, e-mails and company', () => {
    expect(textOf(waMessage.contacts({ from: CUSTOMER, cards: [{ formatted: 'Lena Vogel', phones: [{ phone: '+49 30 1234567', type: 'WORK' }], emails: ['lena@example.org'], company: 'Vogel GmbH' }] })))
      .toBe('👤 Contact: Lena Vogel · Vogel GmbH · +49 30 1234567 (work) · lena@example.org');
    expect(textOf(waMessage.contacts({ from: CUSTOMER, cards: [{ formatted: 'Ana', phones: [{ phone: '+34 600 000 001' }] }, { formatted: '', first: 'Bo', last: 'Li' }] })))
      .toBe('👤 2 contacts:\n• Ana · +34 600 000 001\n• Bo Li (no number or e-mail)');
  });

  it('shows a reaction on the message it reacts to: quoted when the transcript has it, else by id', () => {
    const m = waMessage.reaction({ from: CUSTOMER, to: 'wamid.EARLIER', emoji: '👍' });
    expect(referenceOf(parsed(m).message)).toBe('wamid.EARLIER');
    expect(textOf(m, { id: 'wamid.EARLIER', text: 'My order #4411 arrived broken', by: 'customer' })).toBe('👍 reacted to “My order #4411 arrived broken”');
    expect(textOf(m, { id: 'wamid.EARLIER', by: 'desk' })).toBe('👍 reacted to a reply from the desk (wamid.EARLIER)');
    expect(textOf(m, { id: 'wamid.EARLIER' })).toBe('👍 reacted to message wamid.EARLIER');
    expect(textOf(m)).toBe('👍 reacted to message wamid.EARLIER');
  });

  it('shows a removed reaction, whether the emoji is empty or missing', () => {
    const quoted = { id: 'wamid.E', text: 'thanks!' };
    expect(textOf(waMessage.reaction({ from: CUSTOMER, to: 'wamid.E', emoji: '' }), quoted)).toBe('Removed their reaction from “thanks!”');
    expect(textOf(waMessage.reaction({ from: CUSTOMER, to: 'wamid.E' }), quoted)).toBe('Removed their reaction from “thanks!”');
  });

  it('shortens a long quoted message', () => {
    const text = textOf(waMessage.reaction({ from: CUSTOMER, to: 'wamid.L', emoji: '❤️' }), { id: 'wamid.L', text: 'word '.repeat(40) });
    expect(text.length).toBeLessThan(100);
    expect(text).toMatch(/…”$/);
  });

  it('shows interactive button and list replies with their title (and description)', () => {
    expect(textOf(waMessage.buttonReply({ from: CUSTOMER, title: 'Talk to a person' }))).toBe('🔘 Chose “Talk to a person”');
    expect(textOf(waMessage.listReply({ from: CUSTOMER, title: 'Express delivery', description: 'Next day, 9.90 EUR' }))).toBe('📋 Chose “Express delivery” — Next day, 9.90 EUR');
    expect(textOf(waMessage.listReply({ from: CUSTOMER, title: 'Pickup' }))).toBe('📋 Chose “Pickup”');
  });

  it('shows a template quick-reply button with its text', () => {
    expect(textOf(waMessage.button({ from: CUSTOMER, text: 'Reschedule' }))).toBe('🔘 Pressed “Reschedule”');
  });

  it('shows an order with its catalog, items and total, summed exactly', () => {
    expect(textOf(waMessage.order({
      from: CUSTOMER, catalog: '802211', text: 'Ring the bell twice',
      items: [{ sku: 'SOCKS-RED', quantity: 3, price: 0.1, currency: 'EUR' }, { sku: 'SHOES-42', quantity: 1, price: 59.9, currency: 'EUR' }],
    }))).toBe('🛒 Order from catalog 802211:\n• 3 × SOCKS-RED at 0.10 EUR\n• 1 × SHOES-42 at 59.90 EUR\nTotal: 60.20 EUR\nRing the bell twice');
  });

  it('shows an order whose quantities or currencies do not add up without a made-up total', () => {
    const text = textOf(waMessage.order({ from: CUSTOMER, catalog: 'c', items: [{ sku: 'A', quantity: 'some', price: 'a few', currency: 'USD' }, { sku: 'B', quantity: 2, price: 3, currency: 'EUR' }] }));
    expect(text).toBe('🛒 Order from catalog c:\n• some × A at a few USD\n• 2 × B at 3 EUR');
  });

  it('shows a flow\'s answers as key: value lines, without the flow token', () => {
    expect(textOf(waMessage.flowReply({ from: CUSTOMER, answers: { email: 'mira@example.org', rating: 4, topics: ['billing', 'returns'], consent: true } })))
      .toBe('📝 Form answers (Sent):\nemail: mira@example.org\nrating: 4\ntopics: billing, returns\nconsent: true');
  });

  it('says when a flow\'s answers are not a JSON object', () => {
    expect(textOf(waMessage.flowReply({ from: CUSTOMER, answers: '{not json' }))).toBe('📝 Form answers (Sent):\n(the answers could not be read)');
    expect(textOf(waMessage.flowReply({ from: CUSTOMER, answers: '[1,2]' }))).toContain('could not be read');
  });

  it('says a number change in the thread and hands the new number to the route, without showing the numbers', () => {
    const r = inbound(waMessage.numberChange({ from: CUSTOMER, newNumber: '4917699999999' }), undefined);
    expect(r.newCustomerId).toBe('4917699999999');
    expect(r.message.text).toContain('changed their WhatsApp number');
    expect(r.message.text).not.toMatch(/4917/);
    expect(inbound(waMessage.numberChange({ from: CUSTOMER, newNumber: '4917688888888', legacy: true })).newCustomerId).toBe('4917688888888');
  });

  it('shows other system messages by their body', () => {
    const r = inbound(waMessage.identityChange({ from: CUSTOMER }));
    expect(r.message.text).toBe('ℹ️ WhatsApp: User identity changed');
    expect(r.newCustomerId).toBeUndefined();
  });

  it('shows an edit with the new text, quoting the original', () => {
    const m = waMessage.editText({ from: CUSTOMER, original: 'wamid.O', body: 'Size 42, not 41' });
    expect(referenceOf(parsed(m).message)).toBe('wamid.O');
    expect(textOf(m, { id: 'wamid.O', text: 'Size 41 please' })).toBe('✏️ edited: Size 42, not 41\n(was “Size 41 please”)');
    expect(textOf(m)).toBe('✏️ edited: Size 42, not 41\n(was message wamid.O)');
  });

  it('shows an edited caption as an edit, without posting the image again', () => {
    const r = inbound(waMessage.editCaption({ from: CUSTOMER, original: 'wamid.P', caption: 'The left one is damaged' }), { id: 'wamid.P', text: 'their photo' });
    expect(r.message.text).toBe('✏️ edited: The left one is damaged\n(was “their photo”)');
    expect(r.message.attachments).toBeUndefined();
  });

  it('shows a deletion, quoting what was deleted', () => {
    expect(textOf(waMessage.revoke({ from: CUSTOMER, original: 'wamid.D' }), { id: 'wamid.D', text: 'oops wrong chat' })).toBe('🗑️ Deleted “oops wrong chat”');
  });

  it('keeps media as attachments with their caption as text', () => {
    const r = inbound(waMessage.image({ from: CUSTOMER, mediaId: '9001', caption: 'the dent' }));
    expect(r.message.text).toBe('the dent');
    expect(r.message.attachments).toEqual([{ kind: 'image', mediaId: '9001', mimeType: 'image/jpeg', caption: 'the dent' }]);
  });

  it('marks forwarded messages', () => {
    expect(textOf({ ...waMessage.text({ from: CUSTOMER, body: 'Read this' }), context: { forwarded: true } })).toBe('↪️ Forwarded: Read this');
    expect(textOf({ ...waMessage.text({ from: CUSTOMER, body: 'chain' }), context: { frequently_forwarded: true } })).toBe('↪️ Forwarded many times: chain');
  });

  it('says what an unsupported message was, and what to do, never to open WhatsApp', () => {
    const withKind = textOf(waMessage.unsupported({ from: CUSTOMER, kind: 'poll' }));
    expect(withKind).toContain('(poll)');
    expect(withKind).toContain('Ask them to send it as text');
    expect(textOf(waMessage.unsupported({ from: CUSTOMER, legacyUnknown: true }))).toContain('does not pass on to businesses');
    const future = textOf({ ...waMessage.text({ from: CUSTOMER, body: '' }), type: 'hologram', hologram: { id: 'x' } });
    expect(future).toContain('“hologram”');
    for (const t of [withKind, future]) expect(t).not.toMatch(/open WhatsApp/i);
  });
});

describe('WhatsApp message content of the wrong shape', () => {
  it('shows a message whose content does not match its type as unreadable, with a problem for the log', () => {
    const cases: RawMessage[] = [
      { ...waMessage.text({ from: CUSTOMER, body: 'x' }), text: { body: 42 } },
      { ...waMessage.location({ from: CUSTOMER, latitude: 1, longitude: 1 }), location: 'here' },
      { ...waMessage.reaction({ from: CUSTOMER, to: 'x', emoji: '👍' }), reaction: { emoji: '👍' } },
      { ...waMessage.order({ from: CUSTOMER, catalog: 'c', items: [] }), order: { product_items: 'many' } },
      { ...waMessage.buttonReply({ from: CUSTOMER, title: 't' }), interactive: undefined },
      { ...waMessage.contacts({ from: CUSTOMER, cards: [] }), contacts: { name: 'x' } },
      { ...waMessage.image({ from: CUSTOMER, mediaId: '1' }), image: { caption: 'no id' } },
      { ...waMessage.editText({ from: CUSTOMER, original: 'x', body: 'y' }), edit: { message: { type: 'text' } } },
      { ...waMessage.numberChange({ from: CUSTOMER, newNumber: '1' }), system: 'changed' },
      { ...waMessage.editText({ from: CUSTOMER, original: 'x', body: 'y' }), edit: { original_message_id: 'x', message: { type: 'edit', edit: { original_message_id: 'y', message: { type: 'text', text: { body: 'z' } } } } } },
    ];
    for (const m of cases) {
      const r = inbound(m);
      expect(r.problem, JSON.stringify(m)).toMatch(/does not have the documented shape/);
      expect(r.message.text).toMatch(/could not read/);
      expect(r.newCustomerId).toBeUndefined();
    }
  });

  it('shows an interactive reply of an unknown kind by its kind', () => {
    expect(textOf({ ...waMessage.buttonReply({ from: CUSTOMER, title: 't' }), interactive: { type: 'call_permission_reply', call_permission_reply: { response: 'accept' } } })).toContain('(call_permission_reply)');
  });

  it('copes with flows whose answers are deep, huge or many', () => {
    const many = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`q${i}`, i]));
    const text = textOf(waMessage.flowReply({ from: CUSTOMER, answers: { ...many, nested: { a: { b: [1, { c: null }] } } } }));
    expect(text.split('\n')).toHaveLength(1 + 50 + 1);
    expect(text).toContain('31 more answers not shown');
    const deep = `{"deep":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    expect(textOf(waMessage.flowReply({ from: CUSTOMER, answers: deep }))).toBe('📝 Form answers (Sent):\ndeep: (nested too deeply to show)');
  });
});
