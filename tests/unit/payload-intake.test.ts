import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversations } from '../../src/core/conversations.js';
import { changeCustomerNumber } from '../../src/core/intake/change-customer-number.js';
import { findQuotedMessage } from '../../src/core/intake/find-quoted-message.js';
import { keys } from '../../src/core/keys.js';
import type { Conversation } from '../../src/core/model.js';
import type { StorePort } from '../../src/core/ports.js';
import { renderContacts } from '../../src/core/render/render-contacts.js';
import { mapLink, renderLocation } from '../../src/core/render/render-location.js';
import { quoteOf, renderDeletion, renderEdit, renderReaction } from '../../src/core/render/render-reference.js';
import { embeddedHarness, redisHarness } from '../store/store-harnesses.js';
import { sentRecordOp } from '../../src/core/sent-messages.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { storeLocks } from '../../src/core/lock.js';

const ACCOUNT = '106540352242922';
const OLD = '4917611111111';
const NEW = '4917622222222';

let tokens = 0;
/** What the record locks need: a clock to wait on and unique tokens. */
const lockPorts = { clock: systemClock, newId: () => `token-${++tokens}` };
/** The record locks in the store, as replicas share them. */
const locksIn = (store: StorePort) => storeLocks({ atomic: store, ...lockPorts });

function conversation(id: string, customerId: string, status: Conversation['status'] = 'open'): Conversation {
  return { id, channel: 'whatsapp', account: ACCOUNT, customer: { id: customerId, name: 'Mira' }, queue: 'support', status, createdAt: 1, lastCustomerAt: 1 };
}

async function open(store: StorePort, conv: Conversation): Promise<void> {
  await new Conversations(store, locksIn(store)).save(conv);
  await store.setString(keys.customerConversation(conv.channel, conv.account, conv.customer.id), conv.id);
}

describe.each([embeddedHarness(), redisHarness()])('intake of reactions, edits and number changes on the $name store', (harness) => {
  let store: StorePort;
  let conversations: Conversations;
  beforeAll(async () => {
    store = await harness.open();
    conversations = new Conversations(store, locksIn(store));
  });
  afterAll(async () => {
    await store?.close();
    await harness.cleanup();
  });

  it('finds the text of a customer\'s earlier message in the transcript, or a photo it carried', async () => {
    await open(store, conversation('c-quote', OLD));
    await conversations.appendTranscript('c-quote', { at: 1, direction: 'in', text: 'Is the blue one back?', channelMessageId: 'wamid.A' });
    await conversations.appendTranscript('c-quote', { at: 2, direction: 'out', text: 'Yes, since Monday', author: 'seat-1' });
    await conversations.appendTranscript('c-quote', { at: 3, direction: 'in', text: '', channelMessageId: 'wamid.B', attachments: [{ kind: 'image', mediaId: 'm1' }] });
    const d = { store, conversations, locks: locksIn(store) };
    expect(await findQuotedMessage(d, 'whatsapp', ACCOUNT, OLD, 'wamid.A')).toEqual({ id: 'wamid.A', text: 'Is the blue one back?', by: 'customer' });
    expect(await findQuotedMessage(d, 'whatsapp', ACCOUNT, OLD, 'wamid.B')).toEqual({ id: 'wamid.B', text: 'their photo', by: 'customer' });
  });

  it('knows a reply sent from the desk by its sent record, and otherwise only the id', async () => {
    await store.writeAtomically([sentRecordOp('whatsapp', 'wamid.OUT', { convId: 'c-quote' })]);
    const d = { store, conversations, locks: locksIn(store) };
    expect(await findQuotedMessage(d, 'whatsapp', ACCOUNT, OLD, 'wamid.OUT')).toEqual({ id: 'wamid.OUT', by: 'desk' });
    expect(await findQuotedMessage(d, 'whatsapp', ACCOUNT, OLD, 'wamid.NOPE')).toEqual({ id: 'wamid.NOPE' });
    expect(await findQuotedMessage(d, 'whatsapp', ACCOUNT, 'nobody', 'wamid.A')).toEqual({ id: 'wamid.A' });
  });

  it('moves a conversation to the new number: the new number leads to it, the old one no longer does, replies go to the new one', async () => {
    await open(store, conversation('c-move', OLD));
    const d = { store, conversations, locks: locksIn(store) };
    expect(await changeCustomerNumber(d, { channel: 'whatsapp', account: ACCOUNT, from: OLD, to: NEW })).toEqual({ status: 'linked', convId: 'c-move' });
    expect(await store.getString(keys.customerConversation('whatsapp', ACCOUNT, NEW))).toBe('c-move');
    expect(await store.getString(keys.customerConversation('whatsapp', ACCOUNT, OLD))).toBeUndefined();
    expect((await conversations.get('c-move'))!.customer).toEqual({ id: NEW, name: 'Mira' });
  });

  it('changes nothing when the same number change is delivered again', async () => {
    const d = { store, conversations, locks: locksIn(store) };
    expect(await changeCustomerNumber(d, { channel: 'whatsapp', account: ACCOUNT, from: OLD, to: NEW })).toEqual({ status: 'linked', convId: 'c-move' });
    expect((await conversations.get('c-move'))!.customer.id).toBe(NEW);
  });

  it('leaves both conversations alone when the new number already has an open one of its own', async () => {
    const a = '4917633333333';
    const b = '4917644444444';
    await open(store, conversation('c-a', a));
    await open(store, conversation('c-b', b));
    const d = { store, conversations, locks: locksIn(store) };
    expect(await changeCustomerNumber(d, { channel: 'whatsapp', account: ACCOUNT, from: a, to: b })).toEqual({ status: 'kept_apart', convId: 'c-a' });
    expect(await store.getString(keys.customerConversation('whatsapp', ACCOUNT, b))).toBe('c-b');
    expect((await conversations.get('c-a'))!.customer.id).toBe(a);
  });

  it('takes over a closed conversation of the new number, and does nothing for a customer without one', async () => {
    const a = '4917655555555';
    const b = '4917666666666';
    await open(store, conversation('c-open', a));
    await open(store, conversation('c-closed', b, 'closed'));
    const d = { store, conversations, locks: locksIn(store) };
    expect(await changeCustomerNumber(d, { channel: 'whatsapp', account: ACCOUNT, from: a, to: b })).toEqual({ status: 'linked', convId: 'c-open' });
    expect(await changeCustomerNumber(d, { channel: 'whatsapp', account: ACCOUNT, from: '1', to: '2' })).toEqual({ status: 'no_conversation' });
  });
});

describe('neutral renderers', () => {
  it('renders a location\'s name, address and map link, and refuses impossible coordinates', () => {
    expect(mapLink(-1.5, 36.25)).toBe('https://maps.google.com/?q=-1.5,36.25');
    expect(renderLocation({ latitude: 0, longitude: 0 })).toBe('📍 Location\nhttps://maps.google.com/?q=0,0');
    expect(renderLocation({ name: '  ', address: 'Main St 1', latitude: Number.NaN, longitude: 1 })).toBe('📍 Location\nMain St 1\n(no coordinates were sent)');
    expect(renderLocation({ name: 'Café', live: true, latitude: 1, longitude: -181 })).toBe('📍 Café (live)\n(no coordinates were sent)');
  });

  it('renders contacts one per line, and an empty card as such', () => {
    expect(renderContacts([])).toBe('👤 A contact card with nothing in it');
    expect(renderContacts([{ phones: [' '], emails: [] }])).toBe('👤 Contact: no name (no number or e-mail)');
  });

  it('quotes by text, by sender or by id, and renders reactions, edits and deletions on it', () => {
    expect(quoteOf({ id: 'x', text: ' line one\n line two ' })).toBe('“line one line two”');
    expect(quoteOf({ id: 'x', text: '   ', by: 'desk' })).toBe('a reply from the desk (x)');
    expect(renderReaction(' 🙏 ', { id: 'x', text: 'thanks' })).toBe('🙏 reacted to “thanks”');
    expect(renderReaction('  ', { id: 'x' })).toBe('Removed their reaction from message x');
    expect(renderEdit('   ', { id: 'x' })).toBe('✏️ edited: (no text)\n(was message x)');
    expect(renderDeletion({ id: 'x', text: 'gone' })).toBe('🗑️ Deleted “gone”');
  });
});
