import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskHarness, StoreKind } from '../support/start-desk.js';
import { botLines, startTelegramDesk, TELEGRAM_USERS } from '../support/drivers/telegram.js';
import type { TelegramFake } from '../fakes/telegram/index.js';

/**
 * A Telegram customer's locations, venues, contacts and edits, delivered as
 * Telegram sends them (`message.location`, `message.venue` beside its
 * location, `message.contact`, `edited_message`), show their content in the
 * conversation's topic; an agent's photo in the topic reaches the customer
 * as a photo with its caption (issue 16, point 1). Payloads are our own,
 * shaped like the real ones. Long polling, so the updates the desk asks for
 * (`allowed_updates`) must include edits.
 */
const CUSTOMER = TELEGRAM_USERS.customer;
const PEOPLE = [
  { id: TELEGRAM_USERS.seat, first_name: 'Alex', username: 'alex_agent' },
  { id: CUSTOMER, first_name: 'Casey', last_name: 'Customer', username: 'casey_customer' },
];
const chat = { id: CUSTOMER, type: 'private', first_name: 'Casey', last_name: 'Customer', username: 'casey_customer' };
const from = { id: CUSTOMER, is_bot: false, first_name: 'Casey', last_name: 'Customer', username: 'casey_customer', language_code: 'en' };
const now = () => Math.floor(Date.now() / 1000);

// One store here: the store side (quoting an edit's original) runs on both in tests/unit/payload-intake.test.ts,
// and the Telegram Bot API fake's per-chat pacing makes each run take ~20 s.
describe.each(['redis'] as StoreKind[])('a Telegram customer\'s content in the topic on the %s store', (store) => {
  let h: DeskHarness;
  let fake: TelegramFake;
  let topic: number;
  let firstId: number;
  // Message ids of our own payloads, far from the ones the fake hands out.
  let nextId = 880_000;
  const lines = () => botLines(fake, topic).join('\n');
  const customerWrites = async (content: Record<string, unknown>) => {
    const delivery = await fake.deliver({ message: { message_id: nextId++, date: now(), chat, from, ...content } });
    expect(delivery.status).toBe(200);
  };

  beforeAll(async () => {
    ({ h, fake } = await startTelegramDesk(store, { mode: 'polling', fake: { users: PEOPLE } }));
    const first = await fake.userWritesPrivately(CUSTOMER, 'Where do I pick up my rental car?');
    expect(first.status).toBe(200);
    firstId = first.messageId;
    const t = await fake.waitFor((f) => f.topics.find((x) => !x.deleted && botLines(f, x.message_thread_id).includes('Where do I pick up my rental car?')), 20_000);
    topic = t.message_thread_id;
  });
  afterAll(async () => { await h?.close(); });

  it('shows a location, a venue and a contact with their content', async () => {
    await customerWrites({ location: { latitude: 41.3874, longitude: 2.1686 } });
    await customerWrites({
      location: { latitude: 41.4036, longitude: 2.1744 },
      venue: { location: { latitude: 41.4036, longitude: 2.1744 }, title: 'Sagrada Família', address: 'C/ de Mallorca, 401, Barcelona', foursquare_id: '4b0588a6f964a520' },
    });
    await customerWrites({ contact: { phone_number: '+34600111222', first_name: 'Jordi', last_name: 'Puig', user_id: 3301 } });
    await expect.poll(lines, { timeout: 15_000 }).toContain('👤 Contact: Jordi Puig · +34600111222');
    expect(lines()).toContain('📍 Location\nhttps://maps.google.com/?q=41.3874,2.1686');
    expect(lines()).toContain('📍 Sagrada Família\nC/ de Mallorca, 401, Barcelona\nhttps://maps.google.com/?q=41.4036,2.1744');
  });

  it('shows an edit with the new text, quoting the original, and ignores a moving live location', async () => {
    const edited = await fake.deliver({ edited_message: { message_id: firstId, date: now() - 60, edit_date: now(), chat, from, text: 'Where do I return my rental car?' } });
    expect(edited.status).toBe(200);
    await expect.poll(lines, { timeout: 15_000 }).toContain('✏️ edited: Where do I return my rental car?\n(was “Where do I pick up my rental car?”)');
    const liveId = nextId++;
    await fake.deliver({ edited_message: { message_id: liveId, date: now() - 30, edit_date: now(), chat, from, location: { latitude: 41.39, longitude: 2.17, live_period: 900 } } });
    await customerWrites({ text: 'after the live location' });
    await expect.poll(lines, { timeout: 15_000 }).toContain('after the live location');
    expect(lines()).not.toContain('41.39,2.17');
  });

  it('sends an agent\'s photo in the topic to the customer as a photo with its caption, by its file_id, and marks it', async () => {
    const toCustomerBefore = fake.privateMessagesTo(CUSTOMER).length;
    const photo = await fake.userWritesInTopic(TELEGRAM_USERS.seat, topic, 'This is the pickup desk', { media: { kind: 'photo' } });
    expect(photo.status).toBe(200);
    const sent = await fake.waitFor((f) => f.privateMessagesTo(CUSTOMER).slice(toCustomerBefore).find((m) => m.photo), 15_000);
    expect(sent.caption).toBe('This is the pickup desk');
    // The same file Telegram already holds: sent again by its file_id, never downloaded.
    expect(sent.photo!.file_id).toBe(fake.message(fake.groupId, photo.messageId)!.photo!.file_id);
    expect(fake.downloads).toHaveLength(0);
    await fake.waitFor((f) => f.message(f.groupId, photo.messageId)!.reactions.length > 0, 5000);
    expect(lines()).not.toContain('Not sent');
  });
});
