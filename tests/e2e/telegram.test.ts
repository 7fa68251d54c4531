import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../support/actions.js';
import { SECRETS, type DeskHarness } from '../support/start-desk.js';
import { mediaMessageWebhook, postWebhook } from '../fakes/whatsapp/webhooks.js';
import { botLines, headerOf, startTelegramDesk, TELEGRAM_USERS, TELEGRAM_WEBHOOK_SECRET } from '../support/drivers/telegram.js';
import type { TelegramFake } from '../fakes/telegram/index.js';
import { lanes } from '../../src/core/outbox/items.js';

const PEOPLE = [
  { id: TELEGRAM_USERS.seat, first_name: 'Alex', username: 'alex_agent' },
  { id: TELEGRAM_USERS.stranger, first_name: 'Sam', username: 'sam_agent' },
  { id: 1003, first_name: 'Dana', username: 'dana_ops' },
  { id: TELEGRAM_USERS.customer, first_name: 'Casey', last_name: 'Customer', username: 'casey_customer' },
];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The topic whose bot posts include `text`. */
async function topicWith(fake: TelegramFake, text: string, timeoutMs = 20_000): Promise<number> {
  const topic = await fake.waitFor((f) => f.topics.find((t) => !t.deleted && botLines(f, t.message_thread_id).includes(text)), timeoutMs);
  return topic.message_thread_id;
}

function warnings(h: DeskHarness): string[] {
  return h.logs.filter((l) => /"level":(40|50|60)/.test(l));
}

describe('Telegram in webhook mode on the embedded store', () => {
  let h: DeskHarness;
  let fake: TelegramFake;
  let customer: ReturnType<typeof actions>;
  let topic: number;
  beforeAll(async () => {
    ({ h, fake } = await startTelegramDesk('embedded', { mode: 'webhook', fake: { users: PEOPLE } }));
    customer = actions(h);
    expect((await fake.userStartsBot(TELEGRAM_USERS.seat)).status).toBe(200);
    expect((await fake.userStartsBot(TELEGRAM_USERS.stranger)).status).toBe(200);
  });
  afterAll(async () => { await h?.close(); });

  it('registers the desk commands with setMyCommands at start', () => {
    const names = fake.commands.at(-1)!.commands.map((c) => c.command);
    expect(names).toEqual(expect.arrayContaining(['claim', 'release', 'close', 'reopen', 'transfer', 'escalate']));
  });

  it('opens one forum topic per conversation with the header card and its buttons as the first message', async () => {
    await customer.customerWrites('491701110001', 'My parcel is lost', { name: 'Lena' });
    topic = await topicWith(fake, 'My parcel is lost');
    expect(fake.topics.find((t) => t.message_thread_id === topic)!.name).toBe('Lena · WhatsApp');
    const [first] = fake.topicMessages(topic);
    expect(first).toBe(headerOf(fake, topic));
    expect(first!.text).toContain('🟡 Waiting for an agent');
    const buttons = first!.reply_markup!.inline_keyboard!.flat();
    expect(buttons.map((b) => b.text)).toEqual(['Claim', 'Close']);
    for (const b of buttons) expect(Buffer.byteLength(b.callback_data!)).toBeLessThanOrEqual(64);
  });

  it('answers every button press with the outcome and edits the header as the status changes', async () => {
    const header = headerOf(fake, topic)!;
    const refused = await fake.userPressesButton(1003, header.message_id, 'Claim');
    expect(refused.status).toBe(200);
    const claim = await fake.userPressesButton(TELEGRAM_USERS.seat, header.message_id, 'Claim');
    expect(claim.status).toBe(200);
    const answers = () => fake.callbackQueries.slice(-2).map((q) => q.answer);
    expect(answers()[0]).toMatchObject({ show_alert: true, text: expect.stringContaining('not a seat') });
    expect(answers()[1]).toMatchObject({ text: expect.stringContaining('claimed this conversation') });
    await fake.waitFor((f) => f.message(f.groupId, header.message_id)!.text!.includes('🟢 Claimed by telegram:1001'), 5000);
    expect(fake.message(fake.groupId, header.message_id)!.reply_markup!.inline_keyboard!.flat().map((b) => b.text)).toEqual(['Release', 'Close']);
    await fake.waitFor(() => botLines(fake, topic).some((l) => l.includes('telegram:1001 claimed this conversation')), 8000);
  });

  it('runs /commands typed in a topic on that conversation, addressed to this bot or to none, and !commands too', async () => {
    const before = fake.callsTo('editMessageText').length;
    expect((await fake.userWritesInTopic(TELEGRAM_USERS.seat, topic, '/close@threaddesk_bot')).status).toBe(200);
    await fake.waitFor((f) => headerOf(f, topic)!.text!.includes('⚪ Closed'), 5000);
    expect(headerOf(fake, topic)!.reply_markup!.inline_keyboard!.flat().map((b) => b.text)).toEqual(['Reopen']);
    // A command for another bot in the same group is not ours.
    await fake.userWritesInTopic(TELEGRAM_USERS.seat, topic, '/reopen@some_other_bot');
    await fake.userWritesInTopic(TELEGRAM_USERS.seat, topic, '!reopen');
    await fake.waitFor((f) => headerOf(f, topic)!.text!.includes('Waiting for an agent') || headerOf(f, topic)!.text!.includes('Claimed'), 5000);
    const reopened = (await h.app.desk.conversations.byThread('telegram', String(fake.groupId), String(fake.groupId), String(topic)))!;
    expect(reopened.status).toBe('open');
    expect(fake.callsTo('editMessageText').length - before).toBeGreaterThanOrEqual(2);
    await fake.userWritesInTopic(TELEGRAM_USERS.seat, topic, '/claim');
    await fake.waitFor((f) => headerOf(f, topic)!.text!.includes('🟢 Claimed by telegram:1001'), 5000);
  });

  it("says a private hint in the topic when the person never started a chat with the bot", async () => {
    const sentBefore = h.graph.sent.length;
    expect((await fake.userWritesInTopic(1003, topic, 'I can help with this one')).status).toBe(200);
    await fake.waitFor(() => botLines(fake, topic).some((l) => l.startsWith('@dana_ops: You are not a seat')), 10_000);
    expect(botLines(fake, topic).join('\n')).toContain('open a chat with @threaddesk_bot and press Start');
    expect(fake.privateMessagesTo(1003)).toEqual([]);
    expect(h.graph.sent.length).toBe(sentBefore);
  });

  it('recreates a deleted topic on the next message, with a notice, and keeps the conversation whole', async () => {
    const conv = (await h.app.desk.conversations.byThread('telegram', String(fake.groupId), String(fake.groupId), String(topic)))!;
    fake.deleteTopic(topic);
    await customer.customerWrites('491701110001', 'Hello? Is anyone still there?');
    const next = await topicWith(fake, 'Hello? Is anyone still there?', 30_000);
    expect(next).not.toBe(topic);
    expect(fake.topics.find((t) => t.message_thread_id === topic)!.deleted).toBe(true);
    // The new topic: header first, then the notice with the latest history, then the message.
    expect(fake.topicMessages(next)[0]).toBe(headerOf(fake, next));
    expect(headerOf(fake, next)!.text).toContain('🟢 Claimed by telegram:1001');
    const lines = botLines(fake, next);
    expect(lines[0]).toMatch(/^♻️ This conversation's topic was deleted/);
    expect(lines).toContain('customer: My parcel is lost');
    expect(lines.at(-1)).toBe('Hello? Is anyone still there?');
    const same = await h.app.desk.conversations.byThread('telegram', String(fake.groupId), String(fake.groupId), String(next));
    expect(same?.id).toBe(conv.id);
    expect(await h.app.desk.conversations.claimer(conv.id)).toBe('telegram-1001');
    const transcript = (await h.app.desk.conversations.transcript(conv.id)).map((e) => e.text);
    expect(transcript).toEqual(expect.arrayContaining(['My parcel is lost', 'Hello? Is anyone still there?']));
    // And the conversation goes on in the new topic.
    await fake.userWritesInTopic(TELEGRAM_USERS.seat, next, 'We found your parcel!');
    await h.graph.waitFor((g) => g.sent.find((m) => m.text === 'We found your parcel!'), 5000);
    topic = next;
  });

  it("honours a 429's retry_after for the whole group and still delivers the message", async () => {
    fake.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 2', parameters: { retry_after: 2 } });
    await sleep(3100);
    await customer.customerWrites('491701110001', 'One more question');
    await fake.waitFor(() => botLines(fake, topic).includes('One more question'), 15_000);
    const sends = fake.callsTo('sendMessage').filter((c) => c.params.text === 'One more question');
    expect(sends.map((c) => c.status)).toEqual([429, 200]);
    expect(sends[1]!.time - sends[0]!.time).toBeGreaterThanOrEqual(2000);
  });

  it('ignores anonymous admins, other bots and service messages, and answers them 200', async () => {
    const callsBefore = fake.calls.length;
    const chat = { id: fake.groupId, type: 'supergroup', title: 'Support desk', is_forum: true };
    const base = { chat, date: Math.floor(Date.now() / 1000), message_thread_id: topic, is_topic_message: true };
    const deliveries = await Promise.all([
      fake.deliver({ message: { ...base, message_id: 800001, from: { id: 1087968824, is_bot: true, first_name: 'Group', username: 'GroupAnonymousBot' }, sender_chat: chat, text: 'anonymous admin' } }),
      fake.deliver({ message: { ...base, message_id: 800002, from: { id: 5550001, is_bot: true, first_name: 'Deploy', username: 'deploy_bot' }, text: '/close' } }),
      fake.deliver({ message: { ...base, message_id: 800003, from: { id: TELEGRAM_USERS.seat, is_bot: false, first_name: 'Alex' }, forum_topic_edited: { name: 'renamed' } } }),
    ]);
    expect(deliveries.map((d) => d.status)).toEqual([200, 200, 200]);
    await sleep(1500);
    expect(fake.calls.length).toBe(callsBefore);
  });

  it("uploads a customer's WhatsApp image into the topic with sendDocument", async () => {
    const bytes = Buffer.from('\x89PNG fake image bytes');
    h.graph.addMedia('media-tg-1', bytes, 'image/png');
    h.graph.customerWrote('491701110002');
    const body = mediaMessageWebhook({ phoneNumberId: SECRETS.phoneNumberId }, { from: '491701110002', name: 'Ira', type: 'image', media: { id: 'media-tg-1', mime_type: 'image/png', sha256: 'x', caption: 'the broken part' } });
    expect((await postWebhook(h.app.url, SECRETS.waAppSecret, body)).status).toBe(200);
    const upload = await fake.waitFor((f) => f.messages.find((m) => m.document && m.caption === 'the broken part'), 15_000);
    expect(upload.document!.bytes).toEqual(bytes);
    expect(headerOf(fake, upload.message_thread_id!)!.text).toContain('👤 Ira · WhatsApp');
    expect(fake.callsTo('sendDocument').at(-1)!.files).toHaveLength(1);
  });

  it('puts a DM\'s actions under it as buttons that run their command for the presser, and takes private commands from seats', async () => {
    await h.app.desk.outbox.append(lanes.person('telegram', String(TELEGRAM_USERS.seat)), 'telegram', {
      op: 'dm', platform: 'telegram', user: String(TELEGRAM_USERS.seat), text: 'Test alert: please step away',
      actions: [{ id: 'status away', label: 'Step away', fallback: 'Type /status away' }],
    });
    const dm = await fake.waitFor((f) => f.privateMessagesTo(TELEGRAM_USERS.seat).find((m) => m.text === 'Test alert: please step away'), 5000);
    expect(dm.reply_markup!.inline_keyboard!.flat()).toEqual([{ text: 'Step away', callback_data: 'tdcmd:status away' }]);
    expect((await fake.userPressesButton(TELEGRAM_USERS.seat, dm.message_id, 'Step away', { chatId: TELEGRAM_USERS.seat })).status).toBe(200);
    expect(fake.callbackQueries.at(-1)!.answer).toMatchObject({ text: expect.stringContaining('You are away now'), show_alert: true });
    expect((await h.app.desk.seats.ofActor({ platform: 'telegram', userId: String(TELEGRAM_USERS.seat) }))!.presence).toBe('away');
    expect((await fake.userWritesPrivately(TELEGRAM_USERS.seat, '/status online')).status).toBe(200);
    await fake.waitFor((f) => f.privateMessagesTo(TELEGRAM_USERS.seat).some((m) => m.text?.startsWith('You are online now')), 5000);
    expect((await h.app.desk.seats.ofActor({ platform: 'telegram', userId: String(TELEGRAM_USERS.seat) }))!.presence).toBe('online');
  });

  it('refuses webhook deliveries without the right secret with 401, before reading them', async () => {
    const post = (headers: Record<string, string>, body = '{"update_id":5}') => fetch(`${h.app.url}/telegram/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then((r) => r.status);
    expect(await post({})).toBe(401);
    expect(await post({ 'x-telegram-bot-api-secret-token': 'wrong' })).toBe(401);
    expect(await post({ 'x-telegram-bot-api-secret-token': 'wrong' }, 'not json at all')).toBe(401);
    expect(await post({ 'x-telegram-bot-api-secret-token': TELEGRAM_WEBHOOK_SECRET }, 'not json at all')).toBe(400);
    expect(await post({ 'x-telegram-bot-api-secret-token': TELEGRAM_WEBHOOK_SECRET }, '{"hello":"world"}')).toBe(200);
    expect(h.logs.filter((l) => l.includes('missing or wrong secret token')).length).toBe(3);
    expect(h.logs.join('\n')).not.toContain(TELEGRAM_WEBHOOK_SECRET);
    expect(warnings(h).filter((l) => /"level":(50|60)/.test(l))).toEqual([]);
  });
});

describe('Telegram customers in a private chat, long polling on Redis', () => {
  let h: DeskHarness;
  let fake: TelegramFake;
  beforeAll(async () => {
    ({ h, fake } = await startTelegramDesk('redis', { mode: 'polling', fake: { users: PEOPLE } }));
    await fake.userStartsBot(TELEGRAM_USERS.seat);
  });
  afterAll(async () => { await h?.close(); });

  it("opens nothing for a customer's Start, mirrors their messages into a topic and carries the claimer's reply back", async () => {
    expect((await fake.userStartsBot(TELEGRAM_USERS.customer)).status).toBe(200);
    await sleep(500);
    expect(fake.topics).toHaveLength(0);
    expect((await fake.userWritesPrivately(TELEGRAM_USERS.customer, 'Hi, I was charged twice')).status).toBe(200);
    const topic = await topicWith(fake, 'Hi, I was charged twice');
    expect(headerOf(fake, topic)!.text).toContain('👤 Casey Customer · Telegram');
    const reply = await fake.userWritesInTopic(TELEGRAM_USERS.seat, topic, 'Sorry Casey, the refund is on its way');
    expect(reply.status).toBe(200);
    await fake.waitFor((f) => f.privateMessagesTo(TELEGRAM_USERS.customer).some((m) => m.text === 'Sorry Casey, the refund is on its way'), 5000);
    await fake.waitFor((f) => f.message(f.groupId, reply.messageId)!.reactions.some((r) => r.emoji === '👌'), 5000);
    // A photo from the customer is shown in the topic as that photo (Telegram's file_id is sent again).
    await fake.userWritesPrivately(TELEGRAM_USERS.customer, 'here is the receipt', { media: { kind: 'photo' } });
    const photo = await fake.waitFor((f) => f.topicMessages(topic).find((m) => m.photo && m.caption === 'here is the receipt'), 10_000);
    const sent = fake.messages.find((m) => m.chat_id === TELEGRAM_USERS.customer && m.photo)!;
    expect(photo.photo!.file_id).toBe(sent.photo!.file_id);
    expect(fake.conflictCount).toBe(0);
  });

  it('tells the thread when the customer blocked the bot, and sends nothing', async () => {
    await fake.userWritesPrivately(TELEGRAM_USERS.customer, 'one more question about the invoice');
    const topic = await topicWith(fake, 'one more question about the invoice');
    fake.userBlocksBot(TELEGRAM_USERS.customer);
    const before = fake.privateMessagesTo(TELEGRAM_USERS.customer).length;
    await fake.userWritesInTopic(TELEGRAM_USERS.seat, topic, 'Here is the answer');
    const notice = await fake.waitFor((f) => f.topicMessages(topic).find((m) => /Telegram refused this reply \(the customer blocked the bot/.test(m.text ?? '')), 10_000);
    expect(notice).toBeDefined();
    expect(fake.privateMessagesTo(TELEGRAM_USERS.customer)).toHaveLength(before);
  });
});

describe('Telegram long polling with two replicas on Redis', () => {
  it("polls from one replica only, lets the other take over when it stops, and resumes when a crashed holder's lease expires", async () => {
    const a = await startTelegramDesk('redis', { mode: 'polling', fake: { users: PEOPLE } });
    const b = await startTelegramDesk('redis', { mode: 'polling', reuse: a, waitForPolling: false });
    try {
      await sleep(2500);
      const leaders = [a.h, b.h].filter((x) => x.logs.some((l) => l.includes('this replica now polls Telegram')));
      expect(leaders).toHaveLength(1);
      expect((await a.fake.userWritesPrivately(TELEGRAM_USERS.customer, 'first, to the leader')).status).toBe(200);
      await topicWith(a.fake, 'first, to the leader');

      const [leader] = leaders;
      const standby = leader === a.h ? b.h : a.h;
      await leader!.close({ keepFakes: true });
      expect((await a.fake.userWritesPrivately(TELEGRAM_USERS.customer, 'second, after the leader stopped')).status).toBe(200);
      await topicWith(a.fake, 'second, after the leader stopped');
      expect(standby.logs.some((l) => l.includes('this replica now polls Telegram'))).toBe(true);
      // Both messages in the one conversation's topic, each once; never two pollers at a time.
      expect(a.fake.topics).toHaveLength(1);
      expect(botLines(a.fake, a.fake.topics[0]!.message_thread_id).filter((l) => l.includes('leader'))).toEqual(['first, to the leader', 'second, after the leader stopped']);
      expect(a.fake.conflictCount).toBe(0);

      // A replica that took the lease and died (no release): the lease expires and polling resumes.
      const lease = `lease:telegram-poller:${a.fake.bot.id}`;
      expect(await standby.app.store.getString(lease)).toBeDefined();
      await standby.app.store.setString(lease, 'a-replica-that-crashed', 3000);
      const sentAt = Date.now();
      expect((await a.fake.userWritesPrivately(TELEGRAM_USERS.customer, 'third, after a crash')).status).toBe(200);
      expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1500);
      await topicWith(a.fake, 'third, after a crash');
      expect(standby.logs.some((l) => l.includes('lease lost to another replica'))).toBe(true);
    } finally {
      await Promise.allSettled([a.h.close({ keepFakes: true }), b.h.close({ keepFakes: true })]);
      await a.fake.close();
      await a.h.slack.close(); await a.h.graph.close(); await a.h.callbacks.close();
    }
  }, 60_000);
});
