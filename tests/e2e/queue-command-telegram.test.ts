import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../support/actions.js';
import { MANUAL_DEFAULT_QUEUE, type DeskHarness } from '../support/start-desk.js';
import { headerOf, startTelegramDesk, TELEGRAM_USERS } from '../support/drivers/telegram.js';
import type { TelegramFake } from '../fakes/telegram/index.js';

const PEOPLE = [
  { id: TELEGRAM_USERS.seat, first_name: 'Alex', username: 'alex_agent' },
  { id: TELEGRAM_USERS.stranger, first_name: 'Sam', username: 'sam_agent' },
  { id: TELEGRAM_USERS.customer, first_name: 'Casey', username: 'casey_customer' },
];

describe('/queue on Telegram', () => {
  let h: DeskHarness;
  let fake: TelegramFake;

  beforeAll(async () => {
    ({ h, fake } = await startTelegramDesk('embedded', { mode: 'webhook', fake: { users: PEOPLE }, yaml: MANUAL_DEFAULT_QUEUE }));
    for (const user of [TELEGRAM_USERS.seat, TELEGRAM_USERS.stranger]) expect((await fake.userStartsBot(user)).status).toBe(200);
  });
  afterAll(async () => { await h?.close(); });

  it('registers /queue in the command lists of both languages', () => {
    const en = fake.commands.filter((c) => !('language_code' in c)).at(-1)!.commands;
    const zh = fake.commands.filter((c) => (c as { language_code?: string }).language_code === 'zh').at(-1)!.commands;
    expect(en.find((c) => c.command === 'queue')?.description).toBe('queue [name]');
    expect(zh.find((c) => c.command === 'queue')?.description).toContain('等待');
  });

  it('answers /queue with a private message listing what waits and a Claim button each; pressing one there claims it and updates the header', async () => {
    await actions(h).customerWrites('491701110001', 'Where is my parcel?', { name: 'Lena' });
    h.clock.advance(12 * 60_000);
    await actions(h).customerWrites('491701110002', 'Refund please', { name: 'Omar' });
    const topicOf = (name: string) => fake.waitFor((f) => f.topics.find((t) => t.name.startsWith(name)), 10_000);
    const lena = await topicOf('Lena');
    await topicOf('Omar');
    h.clock.advance(3 * 60_000);

    expect((await fake.userWritesInGroup(TELEGRAM_USERS.seat, '/queue')).status).toBe(200);
    const list = await fake.waitFor((f) => f.privateMessagesTo(TELEGRAM_USERS.seat).find((m) => m.text?.includes('Queue default')), 5000);
    expect(list.text).toContain('2 conversations wait, oldest first:');
    expect(list.text).toMatch(/1\. Lena · WhatsApp · waiting 15 minutes\n2\. Omar · WhatsApp · waiting 3 minutes/);
    const buttons = list.reply_markup!.inline_keyboard!.flat();
    expect(buttons.map((b) => b.text)).toEqual(['1. Claim: Lena', '2. Claim: Omar']);
    const lenaConv = (await h.app.desk.conversations.byThread('telegram', String(fake.groupId), String(fake.groupId), String(lena.message_thread_id)))!;
    expect(buttons[0]!.callback_data).toBe(`td:claim:${lenaConv.id}`);

    const press = await fake.userPressesButton(TELEGRAM_USERS.seat, list.message_id, '1. Claim: Lena', { chatId: TELEGRAM_USERS.seat });
    expect(press.status).toBe(200);
    const seat = await h.app.desk.seats.ofActor({ platform: 'telegram', userId: String(TELEGRAM_USERS.seat) });
    expect(await h.app.desk.conversations.claimer(lenaConv.id)).toBe(seat!.id);
    expect(fake.callbackQueries.at(-1)!.answer).toMatchObject({ text: expect.stringContaining('claimed this conversation') });
    await fake.waitFor((f) => headerOf(f, lena.message_thread_id)!.text!.includes('🟢 Claimed'), 5000);
  });

  it('refuses a stranger privately', async () => {
    const before = fake.privateMessagesTo(TELEGRAM_USERS.stranger).length;
    expect((await fake.userWritesInGroup(TELEGRAM_USERS.stranger, '/queue')).status).toBe(200);
    const told = await fake.waitFor((f) => f.privateMessagesTo(TELEGRAM_USERS.stranger).slice(before).find((m) => m.text), 5000);
    expect(told.text).toMatch(/not a seat/i);
    expect(told.reply_markup).toBeUndefined();
  });
});
