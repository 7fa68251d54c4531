import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../support/actions.js';
import { SECRETS, startDesk, type DeskHarness, type StoreKind } from '../support/start-desk.js';
import { postWebhook, rawMessagesWebhook } from '../fakes/whatsapp/webhooks.js';
import { contactOf, waMessage, wamid, type RawMessage } from '../fixtures/whatsapp-messages.js';

/**
 * Every kind of WhatsApp payload, through the real signed webhook, the store
 * and the outbox, shows its content in the conversation's Slack thread
 * (issue 9, point 4). Fixtures are our own, shaped like the real payloads.
 */
const CHANNEL = 'C0SUPPORT';
const biz = { phoneNumberId: SECRETS.phoneNumberId, displayPhoneNumber: '15550001111' };

/** What the bot posted in the thread, every post and line joined. */
function threadText(h: DeskHarness, thread: string): string {
  return h.slack.threadReplies(CHANNEL, thread).filter((m) => m.bot_id).map((m) => m.text).join('\n');
}

interface LogLine { level: number; msg?: string; type?: string; messageId?: string; requestId?: string }
const logLines = (h: DeskHarness, from = 0): LogLine[] => h.logs.slice(from).flatMap((l) => { try { return [JSON.parse(l) as LogLine]; } catch { return []; } });

describe.each(['embedded', 'redis'] as StoreKind[])('real WhatsApp payloads into a Slack thread on the %s store', (store) => {
  let h: DeskHarness;
  // One customer number per store run: both runs may share a Redis.
  const customer = store === 'embedded' ? '4917610000001' : '4917620000001';
  const post = (messages: RawMessage[], contacts: RawMessage[] = [contactOf({ name: 'Mira Okafor', waId: customer })]) => {
    h.graph.customerWrote(customer, h.clock.now());
    return postWebhook(h.app.url, SECRETS.waAppSecret, rawMessagesWebhook(biz, messages, contacts));
  };
  const threadOf = async (text: string): Promise<string> => {
    const p = await h.slack.waitFor((s) => s.messages.find((m) => m.thread_ts && m.bot_id && m.text.split('\n').includes(text)), 5000);
    return p.thread_ts!;
  };
  const shows = (thread: string, parts: string[]) => expect.poll(() => {
    const text = threadText(h, thread);
    return parts.filter((p) => !text.includes(p));
  }, { timeout: 8000 }).toEqual([]);

  beforeAll(async () => {
    h = await startDesk({ store, slack: { users: { U0AGENT: { name: 'alex', real_name: 'Alex' } } } });
  });
  afterAll(async () => { await h?.close(); });

  it('shows every kind of message with its content, reactions and edits on the message they point at', async () => {
    const first = wamid();
    expect((await post([waMessage.text({ from: customer, id: first, body: 'My order 4411 arrived broken' })])).status).toBe(200);
    const thread = await threadOf('My order 4411 arrived broken');
    const answer = await post([
      waMessage.location({ from: customer, latitude: 52.5251, longitude: 13.3694, name: 'Berlin Hauptbahnhof', address: 'Europaplatz 1, 10557 Berlin' }),
      waMessage.contacts({ from: customer, cards: [{ formatted: 'Lena Vogel', phones: [{ phone: '+49 30 1234567', type: 'WORK' }], emails: ['lena@example.org'] }] }),
      waMessage.reaction({ from: customer, to: first, emoji: '😡' }),
      waMessage.reaction({ from: customer, to: first, emoji: '' }),
      waMessage.buttonReply({ from: customer, title: 'Talk to a person' }),
      waMessage.listReply({ from: customer, title: 'Express delivery', description: 'Next day' }),
      waMessage.button({ from: customer, text: 'Reschedule' }),
      waMessage.order({ from: customer, catalog: '802211', items: [{ sku: 'SOCKS-RED', quantity: 3, price: 4.5, currency: 'EUR' }, { sku: 'SHOES-42', quantity: 1, price: 59.9, currency: 'EUR' }] }),
      waMessage.flowReply({ from: customer, answers: { email: 'mira@example.org', rating: 4 } }),
      waMessage.editText({ from: customer, original: first, body: 'My order 4412 arrived broken' }),
      waMessage.unsupported({ from: customer, kind: 'poll' }),
      waMessage.identityChange({ from: customer }),
      waMessage.revoke({ from: customer, original: first }),
    ]);
    expect(answer.status).toBe(200);
    await shows(thread, [
      '📍 Berlin Hauptbahnhof\nEuropaplatz 1, 10557 Berlin\nhttps://maps.google.com/?q=52.5251,13.3694',
      '👤 Contact: Lena Vogel · +49 30 1234567 (work) · lena@example.org',
      '😡 reacted to “My order 4411 arrived broken”',
      'Removed their reaction from “My order 4411 arrived broken”',
      '🔘 Chose “Talk to a person”',
      '📋 Chose “Express delivery” — Next day',
      '🔘 Pressed “Reschedule”',
      '🛒 Order from catalog 802211:\n• 3 × SOCKS-RED at 4.50 EUR\n• 1 × SHOES-42 at 59.90 EUR\nTotal: 73.40 EUR',
      '📝 Form answers (Sent):\nemail: mira@example.org\nrating: 4',
      '✏️ edited: My order 4412 arrived broken\n(was “My order 4411 arrived broken”)',
      'does not pass on to businesses (poll)',
      'ℹ️ WhatsApp: User identity changed',
      '🗑️ Deleted “My order 4411 arrived broken”',
    ]);
    expect(threadText(h, thread)).not.toMatch(/open WhatsApp/i);
  });

  it('keeps the good messages of a webhook with an unreadable one, and logs that one at warn by type and hashed id only', async () => {
    const canary = 'CANARY-secret-words-5e1';
    const badLocation = wamid();
    const before = h.logs.length;
    const answer = await post([
      waMessage.text({ from: customer, body: 'Before the bad ones' }),
      { from: customer, type: 'text', timestamp: '1777777777', text: { body: canary } },
      { ...waMessage.location({ from: customer, id: badLocation, latitude: 1, longitude: 2 }), location: canary },
      waMessage.text({ from: customer, body: 'After the bad ones', numericTimestamp: true }),
    ]);
    expect(answer.status).toBe(200);
    const thread = await threadOf('Before the bad ones');
    await shows(thread, ['After the bad ones', 'sent a location message the desk could not read']);
    const lines = logLines(h, before);
    expect(lines.filter((l) => l.level === 40 && l.type === 'text' && /could not be read/.test(l.msg ?? ''))).toHaveLength(1);
    // Its id is logged as a hash: a wamid's base64 spells the customer's number.
    const hashed = `wamid.#${createHash('sha256').update(badLocation).digest('hex').slice(0, 12)}`;
    expect(lines.filter((l) => l.level === 40 && l.type === 'location' && l.messageId === hashed)).toHaveLength(1);
    const logged = h.logs.slice(before).join('\n');
    expect(logged).not.toContain(badLocation);
    expect(logged).not.toContain(canary);
    expect(logged).not.toContain(customer);
  });

  it('takes a username-only customer (no `from`, only a BSUID) with a numeric timestamp into a thread of their own', async () => {
    const bsuid = store === 'embedded' ? 'DE.5550000000000001' : 'DE.5550000000000002';
    const answer = await postWebhook(h.app.url, SECRETS.waAppSecret, rawMessagesWebhook(biz, [
      waMessage.text({ body: 'Hi, I only have a username', numericTimestamp: true }),
    ], [contactOf({ name: 'Kai', userId: bsuid, username: 'kai.r' })]));
    expect(answer.status).toBe(200);
    const thread = await threadOf('Hi, I only have a username');
    const conv = (await h.app.desk.conversations.byThread('slack', 'T0001', CHANNEL, thread))!;
    expect(conv.customer).toEqual({ id: bsuid, name: 'Kai' });
  });

  it('follows a number change: said in the thread, the new number continues the conversation, replies go to it', async () => {
    const oldNumber = store === 'embedded' ? '4917630000001' : '4917640000001';
    const newNumber = store === 'embedded' ? '4917630000002' : '4917640000002';
    await postWebhook(h.app.url, SECRETS.waAppSecret, rawMessagesWebhook(biz, [waMessage.text({ from: oldNumber, body: 'Writing from my old phone' })], [contactOf({ name: 'Ola', waId: oldNumber })]));
    const thread = await threadOf('Writing from my old phone');
    // Meta sends the change from the old number, without contacts.
    expect((await postWebhook(h.app.url, SECRETS.waAppSecret, rawMessagesWebhook(biz, [waMessage.numberChange({ from: oldNumber, newNumber })]))).status).toBe(200);
    await shows(thread, ['changed their WhatsApp number']);
    h.graph.customerWrote(newNumber, h.clock.now());
    await postWebhook(h.app.url, SECRETS.waAppSecret, rawMessagesWebhook(biz, [waMessage.text({ from: newNumber, body: 'Now on my new phone' })], [contactOf({ name: 'Ola', waId: newNumber })]));
    await shows(thread, ['Now on my new phone']);
    expect(h.slack.messages.filter((m) => m.bot_id && m.text.includes('Now on my new phone')).map((m) => m.thread_ts)).toEqual([thread]);
    const reply = await actions(h).slackThreadMessage('U0AGENT', thread, 'Got it, Ola: we will write to your new number');
    expect(reply.status).toBe(200);
    const sent = await h.graph.waitFor((g) => g.sent.find((m) => m.text === 'Got it, Ola: we will write to your new number'), 5000);
    expect(sent.to).toBe(newNumber);
    expect(h.logs.join('\n')).not.toContain(newNumber);
  });
});
