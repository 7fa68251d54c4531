import { describe, expect, it } from 'vitest';
import { parseWebhook } from '../../src/channels/whatsapp/parse-webhook.js';

/**
 * Fixtures shaped as Meta's Cloud API sends them (platform-facts.md §1; the
 * "messages" webhook reference examples), plus evil neighbours.
 */
const PHONE_NUMBER_ID = '106540352242922';
const metadata = { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID };
const envelope = (...changes: unknown[]) => ({ object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes }] });
const messagesChange = (value: Record<string, unknown>) => ({ field: 'messages', value: { messaging_product: 'whatsapp', metadata, ...value } });

const textWebhook = envelope(messagesChange({
  contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }],
  messages: [{ from: '16505551234', id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=', timestamp: '1749416383', type: 'text', text: { body: 'Does it come in another color?' } }],
}));

const imageWebhook = envelope(messagesChange({
  contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }],
  messages: [{
    from: '16505551234', id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUNDNjM4RjE0QTE1MTY4QkZCAA==', timestamp: '1750090702', type: 'image',
    image: { caption: 'The box arrived like this', mime_type: 'image/jpeg', sha256: 'mWtQdUMd3ytqY4PQB8vzMgEP/S6QdYvFwdq8SdvEi5U=', id: '1003383421387256' },
  }],
}));

const statusesWebhook = envelope(messagesChange({
  statuses: [
    {
      id: 'wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA', status: 'delivered', timestamp: '1750263773', recipient_id: '16505551234',
      conversation: { id: '6ceb9d929c0ea5d7a6b8ba4a6b1d3b3f', origin: { type: 'service' } },
      pricing: { billable: true, pricing_model: 'PMP', category: 'service' },
    },
    {
      id: 'wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI4QkUzNjRBOTg0QzU4NkVBMDIA', status: 'failed', timestamp: '1750263780', recipient_id: '16505551234',
      errors: [{
        code: 131047, title: 'Re-engagement message', message: 'Re-engagement message',
        error_data: { details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' },
        href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
      }],
    },
  ],
}));

const systemErrorsWebhook = envelope(messagesChange({
  errors: [{ code: 131000, title: 'Something went wrong', message: 'Something went wrong', error_data: { details: 'Message failed to send due to an unknown error.' } }],
}));

describe('parseWebhook with Meta\'s real shapes', () => {
  it('reads a text message with the sender\'s profile name and routes it on phone_number_id', () => {
    const parsed = parseWebhook(textWebhook);
    expect(parsed).toEqual({
      messages: [{
        phoneNumberId: PHONE_NUMBER_ID,
        name: 'Sheena Nelson',
        message: expect.objectContaining({ from: '16505551234', type: 'text', text: { body: 'Does it come in another color?' }, timestamp: '1749416383' }),
      }],
      statuses: [],
      skipped: [],
    });
  });

  it('reads an image message with its media id, mime type and caption', () => {
    const m = parseWebhook(imageWebhook)!.messages[0]!;
    expect(m.message.type).toBe('image');
    expect(m.message.image).toMatchObject({ id: '1003383421387256', mime_type: 'image/jpeg', caption: 'The box arrived like this' });
  });

  it('reads delivered and failed statuses, keeping the failure code', () => {
    const parsed = parseWebhook(statusesWebhook)!;
    expect(parsed.messages).toEqual([]);
    expect(parsed.statuses.map((s) => s.status.status)).toEqual(['delivered', 'failed']);
    expect(parsed.statuses[1]!.status.errors?.[0]).toMatchObject({ code: 131047, title: 'Re-engagement message' });
    expect(parsed.statuses.every((s) => s.phoneNumberId === PHONE_NUMBER_ID)).toBe(true);
  });

  it('notes system errors as skipped with their code', () => {
    expect(parseWebhook(systemErrorsWebhook)).toEqual({ messages: [], statuses: [], skipped: ['system error 131000'] });
  });

  it('keeps a message of a type the desk has no field for (reaction, unsupported) for the channel to decide', () => {
    const parsed = parseWebhook(envelope(messagesChange({
      messages: [
        { from: '16505551234', id: 'wamid.R1', timestamp: '1750000000', type: 'reaction', reaction: { message_id: 'wamid.X', emoji: '👍' } },
        { from: '16505551234', id: 'wamid.U1', timestamp: '1750000001', type: 'unsupported', errors: [{ code: 131051, title: 'Message type unknown' }] },
      ],
    })))!;
    expect(parsed.messages.map((m) => m.message.type)).toEqual(['reaction', 'unsupported']);
    expect(parsed.messages[0]!.name).toBeUndefined();
  });

  it('reads several entries and changes in order', () => {
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        { id: 'waba-1', changes: [textWebhook.entry[0]!.changes[0], { field: 'message_template_status_update', value: { event: 'APPROVED' } }] },
        { id: 'waba-2', changes: [imageWebhook.entry[0]!.changes[0], statusesWebhook.entry[0]!.changes[0]] },
      ],
    };
    const parsed = parseWebhook(body)!;
    expect(parsed.messages.map((m) => m.message.type)).toEqual(['text', 'image']);
    expect(parsed.statuses).toHaveLength(2);
    expect(parsed.skipped).toEqual(['field message_template_status_update']);
  });

  it('keeps the phone number id of a message for another business number, for the route to refuse', () => {
    const other = envelope({ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550000000', phone_number_id: '999999999999' }, messages: [{ from: '1', id: 'wamid.O', timestamp: '1', type: 'text', text: { body: 'x' } }] } });
    expect(parseWebhook(other)!.messages[0]!.phoneNumberId).toBe('999999999999');
  });

  it('tolerates fields Meta adds later', () => {
    const body = envelope(messagesChange({
      brand_new_field: { x: 1 },
      messages: [{ from: '1', id: 'wamid.N', timestamp: '1', type: 'text', text: { body: 'hi', future: true }, referral: { source_url: 'https://fb.me/x' } }],
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
    expect(parseWebhook({ object: 'whatsapp_business_account', entry: [] })).toEqual({ messages: [], statuses: [], skipped: [] });
  });

  it('skips a change of a field the desk does not read', () => {
    expect(parseWebhook(envelope({ field: 'account_update', value: { phone_number: '15550783881', event: 'VERIFIED_ACCOUNT' } }))).toEqual({ messages: [], statuses: [], skipped: ['field account_update'] });
  });

  it('skips a messages change without metadata, or whose messages lack required fields', () => {
    const noMetadata = envelope({ field: 'messages', value: { messaging_product: 'whatsapp', messages: [{ from: '1', id: 'wamid.A', timestamp: '1', type: 'text', text: { body: 'x' } }] } });
    expect(parseWebhook(noMetadata)).toEqual({ messages: [], statuses: [], skipped: ['unreadable messages value'] });
    for (const bad of [
      { id: 'wamid.A', timestamp: '1', type: 'text' }, // no from
      { from: '1', timestamp: '1', type: 'text' }, // no id
      { from: '1', id: 'wamid.A', timestamp: '2026-01-01T00:00:00Z', type: 'text' }, // not unix seconds
      { from: '1', id: 'wamid.A', timestamp: 1750000000, type: 'text' }, // a number, not a string
      { from: '1', id: 'wamid.A', timestamp: '1', type: 'text', text: { body: 42 } },
    ]) {
      expect(parseWebhook(envelope(messagesChange({ messages: [bad] }))), JSON.stringify(bad)).toEqual({ messages: [], statuses: [], skipped: ['unreadable messages value'] });
    }
  });

  it('skips a messages change whose value is null or a string, and still reads the other changes', () => {
    const parsed = parseWebhook(envelope({ field: 'messages', value: null }, { field: 'messages', value: 'x' }, textWebhook.entry[0]!.changes[0]))!;
    expect(parsed.skipped).toEqual(['unreadable messages value', 'unreadable messages value']);
    expect(parsed.messages).toHaveLength(1);
  });

  it('does not take a contact\'s name for another sender', () => {
    const body = envelope(messagesChange({
      contacts: [{ profile: { name: 'Someone Else' }, wa_id: '4915100000000' }],
      messages: [{ from: '16505551234', id: 'wamid.C', timestamp: '1', type: 'text', text: { body: 'hi' } }],
    }));
    expect(parseWebhook(body)!.messages[0]!.name).toBeUndefined();
  });
});
