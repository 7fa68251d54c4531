import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../support/actions.js';
import { discordFakeOptions, startDiscordDesk } from '../support/drivers/discord.js';
import type { DeskHarness } from '../support/start-desk.js';
import type { DiscordFake } from '../fakes/discord/index.js';

const SHY = '940000000000000007';

/**
 * What the outbox does on Discord (issue 4, SPEC §5 and §8): 429s with
 * `retry_after` waited out without a burst of invalid requests and without
 * breaking a customer's order, texts over 2,000 characters split and never
 * cut, deleted threads opened again, and private words reaching people who
 * refuse DMs.
 */
describe('Discord deliveries', () => {
  let h: DeskHarness;
  let fake: DiscordFake;
  let customer: ReturnType<typeof actions>;
  const channel = () => fake.config.channels[0]!;
  const threadWith = async (text: string) => (await fake.waitFor((f) => f.threadsIn(channel()).find((t) => f.messagesIn(t.id).some((m) => m.content.split('\n').includes(text))), 8000)).id;
  const botTexts = (thread: string) => fake.messagesIn(thread).filter((m) => m.author.id === fake.config.botUserId).map((m) => m.content);

  beforeAll(async () => {
    const base = discordFakeOptions();
    ({ h, fake } = await startDiscordDesk('embedded', { fake: { users: { ...base.users, [SHY]: { username: 'shy', dmsClosed: true } } } }));
    customer = actions(h);
  });
  afterAll(async () => { await h?.close(); });

  it('waits out a 429 on thread posts for its retry_after, keeps the customer\'s order, and sends nothing into the limit meanwhile', async () => {
    await customer.customerWrites('491705550201', 'first', { name: 'Ola' });
    const thread = await threadWith('first');
    fake.rateLimitNext({ route: 'POST /channels/:id/messages', major: thread, count: 1, retryAfterMs: 1500 });
    for (const text of ['second', 'third', 'fourth']) await customer.customerWrites('491705550201', text);
    await fake.waitFor(() => botTexts(thread).join('\n').split('\n').includes('fourth'), 10_000);
    expect(botTexts(thread).join('\n').split('\n')).toEqual(['first', 'second', 'third', 'fourth']);
    const posts = fake.callsTo('POST /channels/:id/messages').filter((c) => c.path === `/channels/${thread}/messages`);
    const limited = posts.findIndex((c) => c.status === 429);
    expect(posts.filter((c) => c.status === 429)).toHaveLength(1);
    // Retry-After says 2 s (whole seconds); the next attempt came no earlier, and the waiting messages went as one post.
    expect(posts[limited + 1]!.at - posts[limited]!.at).toBeGreaterThanOrEqual(1500);
    expect(posts.slice(limited + 1).filter((c) => c.status === 200)).toHaveLength(1);
  });

  it('posts a message once when Discord took it but its answer was lost (nonce with enforce_nonce)', async () => {
    await customer.customerWrites('491705550209', 'opening line', { name: 'Nils' });
    const thread = await threadWith('opening line');
    fake.loseAnswerNext('POST /channels/:id/messages', 1);
    await customer.customerWrites('491705550209', 'sent once only');
    await fake.waitFor(() => fake.calls.some((c) => c.route === 'POST /channels/:id/messages' && c.path === `/channels/${thread}/messages` && c.status === 200 && (c.body as { content?: string })?.content === 'sent once only'), 15_000);
    const attempts = fake.callsTo('POST /channels/:id/messages').filter((c) => c.path === `/channels/${thread}/messages` && (c.body as { content?: string })?.content === 'sent once only');
    // The first attempt took effect but its answer was lost; the retry carried the same nonce.
    expect(attempts.map((c) => c.status)).toEqual([0, 200]);
    expect((attempts[0]!.body as { nonce?: string }).nonce).toBe((attempts[1]!.body as { nonce?: string }).nonce);
    expect((attempts[1]!.body as { enforce_nonce?: boolean }).enforce_nonce).toBe(true);
    expect(botTexts(thread).filter((t) => t === 'sent once only')).toHaveLength(1);
  });

  it('splits a customer text over 2,000 characters into posts that add up to the whole text', async () => {
    const long = Array.from({ length: 600 }, (_, i) => `word${i}`).join(' ');
    expect(long.length).toBeGreaterThan(4000);
    await customer.customerWrites('491705550202', long, { name: 'Per' });
    const thread = await fake.waitFor((f) => f.threadsIn(channel()).find((t) => f.messagesIn(t.id).some((m) => m.content.startsWith('word0 '))), 8000);
    await fake.waitFor(() => botTexts(thread.id).some((t) => t.endsWith('word599')), 15_000);
    const parts = botTexts(thread.id);
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(2000);
    expect(parts.join(' ')).toBe(long);
  });

  it('opens a new header and thread when someone deleted the conversation\'s thread, and never renames anything', async () => {
    await customer.customerWrites('491705550203', 'hello from Rut', { name: 'Rut' });
    const old = await threadWith('hello from Rut');
    fake.deleteChannel(old);
    await customer.customerWrites('491705550203', 'are you still there?', { name: 'Rut' });
    const fresh = await threadWith('are you still there?');
    expect(fresh).not.toBe(old);
    expect(JSON.stringify(fake.message(fresh)?.embeds)).toContain('Rut');
    const conv = await h.app.desk.conversations.byThread('discord', fake.config.guildId, channel(), fresh);
    expect(conv?.customer.name).toBe('Rut');
    expect(fake.calls.filter((c) => /^PATCH \/channels\/:id$/.test(c.route) || /^PATCH \/channels\/\d+$/.test(`${c.method} ${c.path}`))).toEqual([]);
  });

  it('tells someone who refuses DMs, in the thread, what a DM would have said', async () => {
    await customer.customerWrites('491705550204', 'question for anyone', { name: 'Siv' });
    const thread = await threadWith('question for anyone');
    const sentBefore = h.graph.sent.length;
    fake.userWrites({ channelId: thread, userId: SHY, content: 'I could answer that' });
    const note = await fake.waitFor(() => fake.messagesIn(thread).find((m) => m.author.id === fake.config.botUserId && m.content.startsWith(`<@${SHY}>`)), 10_000);
    expect(note.content).toContain('not a seat');
    expect((note as { allowed_mentions?: unknown }).allowed_mentions).toEqual({ users: [SHY] });
    expect(fake.callsTo('POST /channels/:id/messages').some((c) => c.status === 403)).toBe(true);
    expect(h.graph.sent.length).toBe(sentBefore);
  });
});
