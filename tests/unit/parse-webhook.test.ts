import { describe, expect, it } from 'vitest';
import { parseWebhook } from '../../src/channels/whatsapp/parse-webhook.js';
import { contactOf, waMessage } from '../fixtures/whatsapp-messages.js';

/**
 * The envelope and each message read on its own, with fixtures shaped as
 * Meta's Cloud API sends them (platform-facts.md §1; real payloads checked by
 * hand), plus evil neighbours.
 */
const PHONE_NUMBER_ID = '106540352242922';
const CUSTOMER = '4917612345678';
const metadata = { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID };
const envelope = (...changes: unknown[]) => ({ object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes }] });
const messagesChange = (value: Record<string, unknown>) => ({ field: 'messages', value: { messaging_product: 'whatsapp', metadata, ...value } });
const AT = Date.UTC(2026, 4, 4, 10, 0, 0);

const textWebhook = envelope(messagesChange({
  contacts: [contactOf({ name: 'Mira Okafor', waId: CUSTOMER })],
  messages: [waMessage.text({ from: CUSTOMER, id: 'wamid.T1', at: AT, body: 'Is the blue one back in stock?' })],
}));

const statusesWebhook = envelope(messagesChange({
  statuses: [
    { id: 'wamid.S1', status: 'delivered', timestamp: '1777888000', recipient_id: CUSTOMER, conversation: { id: 'c0ffee', origin: { type: 'service' } }, pricing: { billable: true, pricing_model: 'PMP', category: 'service' } },
    { id: 'wamid.S2', status: 'failed', timestamp: '1777888001', recipient_id: CUSTOMER, errors: [{ code: 131047, title: 'Re-engagement message' }] },
  ],
}));

describe('parseWebhook with the shapes Meta sends', () => {
  it('reads a text message with the sender\'s profile name, routed on phone_number_id', () => {
    const parsed = parseWebhook(textWebhook)!;
    expect(parsed.messages).toEqual([{
      phoneNumberId: PHONE_NUMBER_ID, sender: CUSTOMER, name: 'Mira Okafor',
      message: expect.objectContaining({ id: 'wamid.T1', type: 'text', text: { body: 'Is the blue one back in stock?' }, timestamp: AT / 1000 }),
    }]);
    expect(parsed.unreadable).toEqual([]);
    expect(parsed.skipped).toEqual([]);
  });

  it('accepts a numeric timestamp, as Meta sends for interactive replies, orders and system messages', () => {
    const parsed = parseWebhook(envelope(messagesChange({ messages: [waMessage.text({ from: CUSTOMER, id: 'wamid.N1', at: AT, body: 'hi', numericTimestamp: true }), waMessage.order({ from: CUSTOMER, at: AT, catalog: 'c1', items: [] })] })))!;
    expect(parsed.messages.map((m) => m.message.timestamp)).toEqual([AT / 1000, AT / 1000]);
  });

  it('keeps a message whose timestamp cannot be read, without a timestamp (the route uses the time of receipt)', () => {
    for (const timestamp of ['2026-05-04T10:00:00Z', -5, null, { s: 1 }, '']) {
      const parsed = parseWebhook(envelope(messagesChange({ messages: [{ ...waMessage.text({ from: CUSTOMER, id: 'wamid.B', body: 'x' }), timestamp }] })))!;
      expect(parsed.messages, JSON.stringify(timestamp)).toHaveLength(1);
      expect(parsed.messages[0]!.message.timestamp).toBeUndefined();
    }
  });

  it('takes a username-only sender (no `from`) from the change\'s only contact, by its BSUID', () => {
    const noFrom = waMessage.text({ id: 'wamid.U1', body: 'hello from a username' });
    const parsed = parseWebhook(envelope(messagesChange({ contacts: [contactOf({ name: 'Jo', userId: 'DE.1234567890123456', username: 'jo.k' })], messages: [noFrom] })))!;
    expect(parsed.messages).toEqual([expect.objectContaining({ sender: 'DE.1234567890123456', name: 'Jo' })]);
  });

  it('takes `from_user_id` when `from` is absent, and the profile username as the name when there is no name', () => {
    const m = { ...waMessage.button({ id: 'wamid.U2', text: 'Yes' }), from_user_id: 'DE.77' };
    const parsed = parseWebhook(envelope(messagesChange({ contacts: [contactOf({ userId: 'DE.77', username: 'kai' }), contactOf({ name: 'Other', userId: 'DE.88' })], messages: [m] })))!;
    expect(parsed.messages).toEqual([expect.objectContaining({ sender: 'DE.77', name: '@kai' })]);
  });

  it('keeps the phone number as the sender when the contact has both a wa_id and a user_id', () => {
    const parsed = parseWebhook(envelope(messagesChange({ contacts: [contactOf({ name: 'Mira', waId: CUSTOMER, userId: 'DE.99' })], messages: [waMessage.text({ from: CUSTOMER, body: 'hi' })] })))!;
    expect(parsed.messages[0]).toMatchObject({ sender: CUSTOMER, name: 'Mira' });
  });

  it('reads delivered and failed statuses, keeping the failure code, and leaves out a malformed one alone', () => {
    const withBad = envelope(messagesChange({ statuses: [...(statusesWebhook.entry[0]!.changes[0] as { value: { statuses: unknown[] } }).value.statuses, { status: 'read' }] }));
    const parsed = parseWebhook(withBad)!;
    expect(parsed.statuses.map((s) => s.status.status)).toEqual(['delivered', 'failed']);
    expect(parsed.statuses[1]!.status.errors?.[0]).toMatchObject({ code: 131047 });
    expect(parsed.skipped).toEqual(['unreadable status']);
  });

  it('notes system errors as skipped with their code', () => {
    const parsed = parseWebhook(envelope(messagesChange({ errors: [{ code: 131000, title: 'Something went wrong' }, 'junk'] })))!;
    expect(parsed.skipped).toEqual(['system error 131000', 'system error without a code']);
  });

  it('reads several entries and changes in order, skipping fields the desk does not read', () => {
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        { id: 'waba-1', changes: [textWebhook.entry[0]!.changes[0], { field: 'message_template_status_update', value: { event: 'APPROVED' } }] },
        { id: 'waba-2', changes: [messagesChange({ messages: [waMessage.location({ from: CUSTOMER, latitude: 48.1, longitude: 11.5 })] }), statusesWebhook.entry[0]!.changes[0]] },
      ],
    };
    const parsed = parseWebhook(body)!;
    expect(parsed.messages.map((m) => m.message.type)).toEqual(['text', 'location']);
    expect(parsed.statuses).toHaveLength(2);
    expect(parsed.skipped).toEqual(['field message_template_status_update']);
  });

  it('keeps the phone number id of a message for another business number, for the route to refuse', () => {
    const other = envelope({ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550000000', phone_number_id: '999999999999' }, messages: [waMessage.text({ from: '1', body: 'x' })] } });
    expect(parseWebhook(other)!.messages[0]!.phoneNumberId).toBe('999999999999');
  });

  it('tolerates fields Meta adds later', () => {
    const body = envelope(messagesChange({
      brand_new_field: { x: 1 },
      messages: [{ ...waMessage.text({ from: '1', body: 'hi' }), referral: { source_url: 'https://fb.me/ad', ctwa_clid: 'x' }, text: { body: 'hi', future: true } }],
    }));
    expect(parseWebhook(body)!.messages).toHaveLength(1);
  });
});

describe('parseWebhook with evil input', () => {
  it('returns undefined for anything that is not a WhatsApp Business Account envelope', () => {
    for (const body of [null, undefined, 42, 'whatsapp_business_account', [], {}, { object: 'page', entry: [] }, { object: 'whatsapp_business_account' }, { object: 'whatsapp_business_account', entry: {} }, { object: 'whatsapp_business_account', entry: [{ changes: [] }] }]) {
      expect(parseWebhook(body), JSON.stringify(body)).toBeUndefined();
    }
  });

  it('reads an empty entry list as nothing to do', () => {
    expect(parseWebhook({ object: 'whatsapp_business_account', entry: [] })).toEqual({ messages: [], statuses: [], unreadable: [], skipped: [] });
  });

  it('skips a messages change without metadata, or whose value is null, a string or has no message list', () => {
    const noMetadata = { field: 'messages', value: { messaging_product: 'whatsapp', messages: [waMessage.text({ from: '1', body: 'x' })] } };
    const parsed = parseWebhook(envelope(noMetadata, { field: 'messages', value: null }, { field: 'messages', value: 'x' }, messagesChange({ messages: { 0: 'x' } }), textWebhook.entry[0]!.changes[0]))!;
    expect(parsed.skipped).toEqual(Array(4).fill('unreadable messages value'));
    expect(parsed.messages).toHaveLength(1);
  });

  it('leaves out only the unreadable message of a change, naming its type and id, and keeps the others', () => {
    const good1 = waMessage.text({ from: CUSTOMER, id: 'wamid.G1', body: 'first' });
    const good2 = waMessage.reaction({ from: CUSTOMER, id: 'wamid.G2', to: 'wamid.G1', emoji: '👍' });
    const parsed = parseWebhook(envelope(messagesChange({
      contacts: [contactOf({ name: 'Mira', waId: CUSTOMER })],
      messages: [
        good1,
        { from: CUSTOMER, type: 'text', timestamp: '1', text: { body: 'no id' } },
        { from: CUSTOMER, id: 'wamid.B2', timestamp: '1', text: { body: 'no type' } },
        null,
        'a string',
        { id: 42, type: 'text' },
        good2,
      ],
    })))!;
    expect(parsed.messages.map((m) => m.message.id)).toEqual(['wamid.G1', 'wamid.G2']);
    expect(parsed.unreadable).toEqual([
      { type: 'text', problem: 'unreadable id' },
      { id: 'wamid.B2', problem: 'unreadable type' },
      { problem: 'unreadable message' },
      { problem: 'unreadable message' },
      { type: 'text', problem: 'unreadable id' },
    ]);
  });

  it('leaves out a message with no sender at all (no from, no from_user_id, no single contact), naming type and id', () => {
    const parsed = parseWebhook(envelope(messagesChange({ contacts: [contactOf({ name: 'A', waId: '1' }), contactOf({ name: 'B', waId: '2' })], messages: [waMessage.text({ id: 'wamid.NS', body: 'who am I' })] })))!;
    expect(parsed.messages).toEqual([]);
    expect(parsed.unreadable).toEqual([{ type: 'text', id: 'wamid.NS', problem: expect.stringContaining('no sender') }]);
  });

  it('never puts a message\'s text or sender into what it reports about an unreadable one', () => {
    const canary = 'CANARY-7d1f-secret-text';
    const parsed = parseWebhook(envelope(messagesChange({ messages: [{ from: '4917600000000', id: 7, type: 'text', text: { body: canary } }, { from: 99, id: 'wamid.F', type: 'text', text: { body: canary } }] })))!;
    expect(parsed.unreadable).toHaveLength(2);
    expect(JSON.stringify(parsed.unreadable)).not.toMatch(/CANARY|4917600000000|99/);
  });

  it('does not take a contact\'s name for another sender', () => {
    const body = envelope(messagesChange({
      contacts: [contactOf({ name: 'Someone Else', waId: '4915100000000' })],
      messages: [waMessage.text({ from: CUSTOMER, body: 'hi' })],
    }));
    expect(parseWebhook(body)!.messages[0]!.name).toBeUndefined();
  });

  it('ignores contacts of the wrong shape instead of failing the change', () => {
    const parsed = parseWebhook(envelope(messagesChange({ contacts: [null, { wa_id: 5 }, contactOf({ name: 'Mira', waId: CUSTOMER })], messages: [waMessage.text({ from: CUSTOMER, body: 'hi' })] })))!;
    expect(parsed.messages[0]!.name).toBe('Mira');
  });
});
