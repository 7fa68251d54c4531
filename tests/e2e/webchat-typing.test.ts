import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscordFake } from '../fakes/discord/index.js';
import { DISCORD_USERS, startDiscordDesk } from '../support/drivers/discord.js';
import { botLines, startTelegramDesk, TELEGRAM_USERS } from '../support/drivers/telegram.js';
import type { DeskHarness } from '../support/start-desk.js';
import { openWidgetSocket, texts, type WidgetSocket } from '../support/webchat-client.js';

const SITE = 'https://shop.example.com';

/**
 * The desk side of web chat on Discord (issue 15): an agent typing in the
 * conversation's thread (the gateway's TYPING_START) shows in the visitor's
 * widget, at most once every 3 s, only for someone whose reply would reach
 * the visitor; the visitor's seen mark comes back as 👀 on the agent's message.
 */
describe('web chat typing and read state with agents on Discord', () => {
  let h: DeskHarness;
  let fake: DiscordFake;
  let w: WidgetSocket;
  let thread: string;
  const typingFrames = () => w.frames.filter((f) => f.type === 'typing');

  beforeAll(async () => {
    ({ h, fake } = await startDiscordDesk('embedded', { env: { WEBCHAT_ORIGINS: SITE } }));
    const seat = (await h.app.desk.seats.list())[0]!;
    await h.app.desk.seats.update(seat.id, (s) => ({ ...s, name: 'Ana' }));
    w = await openWidgetSocket(h.app.url, SITE);
    w.send({ type: 'hello', queue: 'default' });
    await w.waitFor((f) => f.find((x) => x.type === 'ready'));
    w.send({ type: 'send', clientId: 'q1', text: 'Is the blue one in stock?' });
    const channel = fake.config.channels[0]!;
    thread = (await fake.waitFor((f) => f.threadsIn(channel).find((t) => f.messagesIn(t.id).some((m) => m.content.includes('Is the blue one in stock?'))), 8000)).id;
  });
  afterAll(async () => {
    await w?.close();
    await h?.close();
  });

  it('shows the visitor "Ana is typing" when the agent types in the thread, once per 3 s, and not for a stranger', async () => {
    expect(fake.userTyping({ channelId: thread, userId: DISCORD_USERS.stranger })).toBe(1);
    expect(fake.userTyping({ channelId: thread, userId: DISCORD_USERS.seat })).toBe(1);
    const frame = await w.waitFor((f) => f.find((x) => x.type === 'typing'), 5000);
    expect(frame).toEqual({ type: 'typing', name: 'Ana' });
    // Discord repeats TYPING_START while the agent keeps typing: within 3 s nothing more reaches the visitor.
    fake.userTyping({ channelId: thread, userId: DISCORD_USERS.seat });
    await new Promise((r) => setTimeout(r, 500));
    expect(typingFrames()).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 2700));
    fake.userTyping({ channelId: thread, userId: DISCORD_USERS.seat });
    await w.waitFor((f) => (f.filter((x) => x.type === 'typing').length === 2 ? true : undefined), 5000);
    // Typing outside any conversation thread is nobody's business.
    fake.userTyping({ channelId: fake.config.channels[0]!, userId: DISCORD_USERS.seat });
    await new Promise((r) => setTimeout(r, 3300));
    fake.userTyping({ channelId: fake.config.channels[0]!, userId: DISCORD_USERS.seat });
    await new Promise((r) => setTimeout(r, 300));
    expect(typingFrames()).toHaveLength(2);
  });

  it('marks the agent\'s message 👀 in the thread once the visitor saw it', async () => {
    const reply = fake.userWrites({ channelId: thread, userId: DISCORD_USERS.seat, content: 'Yes, two left.' });
    const line = await w.waitFor((f) => f.find((x) => x.type === 'message' && x.text === 'Yes, two left.'), 8000);
    expect(line).toMatchObject({ author: 'agent', name: 'Ana' });
    await fake.waitFor((f) => f.reactions.some((r) => r.messageId === reply.id && r.emoji === '✅'), 8000);
    w.send({ type: 'seen', id: Number(line.id) });
    await fake.waitFor((f) => f.reactions.some((r) => r.messageId === reply.id && r.emoji === '👀'), 8000);
    expect(texts(w.frames)).toEqual(['Is the blue one in stock?', 'Yes, two left.']);
  });
});

/** On Telegram a bot sets one reaction per message: the seen mark 👀 takes the place of the delivered 👌. */
describe('web chat read state with agents on Telegram', () => {
  let h: DeskHarness;
  afterAll(async () => { await h?.close(); });

  it('replaces 👌 with 👀 on the agent\'s message once the visitor saw it', async () => {
    const started = await startTelegramDesk('embedded', { mode: 'webhook', env: { WEBCHAT_ORIGINS: SITE } });
    h = started.h;
    const { fake } = started;
    const w = await openWidgetSocket(h.app.url, SITE);
    try {
      w.send({ type: 'hello', queue: 'default' });
      await w.waitFor((f) => f.find((x) => x.type === 'ready'));
      w.send({ type: 'send', clientId: 't1', text: 'Do you deliver on Sundays?' });
      const topic = (await fake.waitFor((f) => f.topics.find((t) => botLines(f, t.message_thread_id).includes('Do you deliver on Sundays?')), 10_000)).message_thread_id;
      const written = await fake.userWritesInTopic(TELEGRAM_USERS.seat, topic, 'Only on weekdays.');
      const reactions = () => fake.message(fake.groupId, written.messageId)?.reactions.filter((r) => r.user === fake.bot.id).map((r) => r.emoji) ?? [];
      const line = await w.waitFor((f) => f.find((x) => x.type === 'message' && x.text === 'Only on weekdays.'), 8000);
      await fake.waitFor(() => reactions().includes('👌'), 8000);
      w.send({ type: 'seen', id: Number(line.id) });
      await fake.waitFor(() => reactions().includes('👀'), 8000);
      expect(reactions()).toEqual(['👀']);
    } finally {
      await w.close();
    }
  });
});
