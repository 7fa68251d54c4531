import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../support/actions.js';
import { DISCORD_USERS, startDiscordDesk } from '../support/drivers/discord.js';
import type { DeskHarness } from '../support/start-desk.js';
import type { DiscordFake, FakeInteraction } from '../fakes/discord/index.js';

type Reply = { content?: string; flags?: number; embeds?: { title: string; description: string }[]; components?: { type: number; components: { custom_id: string; label: string }[] }[] };

/**
 * `/queue` on Discord: an ephemeral reply with an embed per queue and a Claim
 * button per waiting conversation (custom ids as the header's), and the
 * command registered with its Chinese description.
 */
describe('/queue on Discord', () => {
  let h: DeskHarness;
  let fake: DiscordFake;
  const channel = () => fake.config.channels[0]!;
  const threads: string[] = [];

  beforeAll(async () => {
    ({ h, fake } = await startDiscordDesk('embedded'));
    // The default queue has no seats: both conversations wait.
    for (const [phone, text, name] of [['491705550101', 'Where is my parcel?', 'Ida'], ['491705550102', 'Wrong size', 'Jon']] as const) {
      await actions(h).customerWrites(phone, text, { name });
      threads.push((await fake.waitFor((f) => f.threadsIn(channel()).find((t) => f.messagesIn(t.id).some((m) => m.content === text)), 10_000)).id);
      h.clock.advance(20 * 60_000);
    }
  });
  afterAll(async () => { await h?.close(); });

  const answered = async (it: FakeInteraction) => {
    await fake.waitFor(() => it.callbacks.length > 0 || it.failed, 5000);
    expect(it.failed).toBe(false);
    return it.callbacks[0]!;
  };

  it('registers /queue with its option and Chinese descriptions', () => {
    const queue = fake.commands.find((c) => c.name === 'queue') as { description: string; description_localizations?: Record<string, string>; options: { name: string; required?: boolean }[] } | undefined;
    expect(queue?.description).toBe('What waits in your queues and who is online');
    expect(queue?.description_localizations?.['zh-CN']).toContain('等待');
    expect(queue?.options.map((o) => [o.name, Boolean(o.required)])).toEqual([['queue', false]]);
  });

  it('answers /queue privately with an embed listing what waits oldest first and a Claim button each; pressing one claims it', async () => {
    const cb = await answered(fake.runCommand({ userId: DISCORD_USERS.seat, channelId: channel(), name: 'queue', options: [{ name: 'queue', type: 3, value: 'default' }] }));
    expect(cb.type).toBe(4);
    const reply = cb.data as Reply;
    expect((reply.flags ?? 0) & 64).toBe(64);
    expect(reply.embeds![0]!.title).toBe('Queue default (default)');
    expect(reply.embeds![0]!.description).toMatch(/1\. Ida · WhatsApp · waiting 40 minutes\n2\. Jon · WhatsApp · waiting 20 minutes/);
    const buttons = reply.components!.flatMap((r) => r.components);
    const ids = await Promise.all(threads.map(async (t) => (await h.app.desk.conversations.byThread('discord', fake.config.guildId, channel(), t))!.id));
    expect(buttons.map((b) => [b.label, b.custom_id])).toEqual([['1. Claim', `td:claim:${ids[0]}`], ['2. Claim', `td:claim:${ids[1]}`]]);

    // The fake keeps no ephemeral messages: the press arrives on the header message, with the list's custom id.
    const press = fake.pressButton({ userId: DISCORD_USERS.seat, messageId: threads[1]!, customId: buttons[1]!.custom_id });
    await answered(press);
    const seat = await h.app.desk.seats.ofActor({ platform: 'discord', userId: DISCORD_USERS.seat });
    expect(await h.app.desk.conversations.claimer(ids[1]!)).toBe(seat!.id);
    await fake.waitFor((f) => f.messagesIn(threads[1]!).some((m) => m.content.includes('claimed this conversation')), 5000);
  });

  it('refuses a stranger and an unknown queue in words, without a list', async () => {
    const stranger = (await answered(fake.runCommand({ userId: DISCORD_USERS.stranger, channelId: channel(), name: 'queue', options: [] }))).data as Reply;
    expect(stranger.embeds).toBeUndefined();
    expect(stranger.content).toMatch(/not a seat/i);
    const unknown = (await answered(fake.runCommand({ userId: DISCORD_USERS.seat, channelId: channel(), name: 'queue', options: [{ name: 'queue', type: 3, value: 'nope' }] }))).data as Reply;
    expect(unknown.content).toContain('There is no queue "nope"');
  });
});
