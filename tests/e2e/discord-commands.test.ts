import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REST, Routes } from 'discord.js';
import { actions } from '../support/actions.js';
import { DISCORD_USERS, startDiscordDesk } from '../support/drivers/discord.js';
import type { DeskHarness } from '../support/start-desk.js';
import { startDiscordFake, type DiscordFake, type FakeInteraction } from '../fakes/discord/index.js';
import { answerInteraction } from '../../src/bot/discord/interactions.js';
import { createLogger } from '../../src/runtime/logger.js';

const USER = 6;
const STRING = 3;
const INTEGER = 4;
const SUBCOMMAND = 1;

/**
 * Slash commands and buttons on Discord (issue 4): typed commands registered
 * per guild at start, every interaction answered within Discord's 3 s, and
 * bad options answered privately with what to type, never a silent failure
 * or "This interaction failed".
 */
describe('Discord application commands and buttons', () => {
  let h: DeskHarness;
  let fake: DiscordFake;
  let thread: string;
  const channel = () => fake.config.channels[0]!;

  beforeAll(async () => {
    ({ h, fake } = await startDiscordDesk('embedded', { env: { BOOTSTRAP_ADMINS: `discord:${DISCORD_USERS.seat},discord:${DISCORD_USERS.colleague}` } }));
    await actions(h).customerWrites('491705550101', 'Where is my parcel?', { name: 'Ida' });
    thread = (await fake.waitFor((f) => f.threadsIn(channel()).find((t) => f.messagesIn(t.id).some((m) => m.content === 'Where is my parcel?')))).id;
  });
  afterAll(async () => { await h?.close(); });

  /** Waits for the answer and checks it came in time and only the caller sees it. */
  const privateAnswer = async (it: FakeInteraction): Promise<string> => {
    await fake.waitFor(() => it.reply || it.failed, 5000);
    expect(it.failed).toBe(false);
    expect(it.callbacks[0]!.at - it.createdAt).toBeLessThan(3000);
    expect(it.reply?.ephemeral).toBe(true);
    return it.reply!.content;
  };
  const run = (name: string, options: NonNullable<Parameters<DiscordFake['runCommand']>[0]['options']>, o: { channelId?: string; userId?: string; resolved?: Record<string, unknown> } = {}) =>
    fake.runCommand({ userId: o.userId ?? DISCORD_USERS.seat, channelId: o.channelId ?? thread, name, options, ...(o.resolved ? { resolved: o.resolved } : {}) });

  it('registers typed commands for the guild with one bulk overwrite at start', () => {
    const puts = fake.callsTo('PUT /applications/:id/guilds/:id/commands');
    expect(puts).toHaveLength(1);
    expect(puts[0]!.status).toBe(200);
    const byName = new Map(fake.commands.map((c) => [c.name, c as { options: { name: string; type: number; required: boolean; choices?: unknown[]; options?: { name: string; type: number; min_value?: number; max_value?: number }[] }[] }]));
    expect([...byName.keys()]).toEqual(expect.arrayContaining(['claim', 'release', 'close', 'reopen', 'transfer', 'escalate', 'seat', 'assign', 'revoke', 'status', 'audit', 'alerts', 'export']));
    expect(byName.get('transfer')!.options[0]).toMatchObject({ name: 'user', type: USER, required: true });
    expect(byName.get('escalate')!.options.map((o) => [o.name, o.type, o.required])).toEqual([['first', USER, true], ['reason', STRING, true], ['second', USER, false]]);
    expect(byName.get('status')!.options[0]!.choices).toHaveLength(3);
    const add = byName.get('seat')!.options.find((o) => o.name === 'add')!;
    expect(add.type).toBe(SUBCOMMAND);
    expect(add.options!.find((o) => o.name === 'max')).toMatchObject({ type: INTEGER, min_value: 1, max_value: 50 });
  });

  it('answers /claim in a conversation thread privately in time, and the team sees the claim in the thread and on the header', async () => {
    const answer = await privateAnswer(run('claim', []));
    expect(answer).toContain('/claim');
    await fake.waitFor((f) => f.messagesIn(thread).some((m) => m.content.includes('claimed this conversation')));
    await fake.waitFor((f) => JSON.stringify(f.message(thread)?.embeds).includes(`discord:${DISCORD_USERS.seat}`));
  });

  it('tells someone who uses /release outside a thread what to do instead', async () => {
    const answer = await privateAnswer(run('release', [], { channelId: channel() }));
    expect(answer).toContain('works inside a conversation\'s thread');
  });

  it('answers an unknown user with the command to type', async () => {
    const answer = await privateAnswer(run('transfer', [{ name: 'user', type: USER, value: '949999999999999999' }]));
    expect(answer).toContain('cannot find the person');
    expect(answer).toContain('`/transfer user:@ana reason:going off shift`');
  });

  it('answers a person who is not a seat with how to add them', async () => {
    const answer = await privateAnswer(run('transfer', [{ name: 'user', type: USER, value: DISCORD_USERS.stranger }]));
    expect(answer).toContain('has no seat here');
    expect(answer).toContain('/seat add');
  });

  it('answers a bot picked as a person, and the same person named twice', async () => {
    expect(await privateAnswer(run('transfer', [{ name: 'user', type: USER, value: DISCORD_USERS.otherBot }]))).toContain('must be a person, not a bot');
    const twice = await privateAnswer(run('escalate', [{ name: 'first', type: USER, value: DISCORD_USERS.colleague }, { name: 'reason', type: STRING, value: 'help' }, { name: 'second', type: USER, value: DISCORD_USERS.colleague }]));
    expect(twice).toContain('same person twice');
  });

  it('answers a missing required option with the command to type', async () => {
    const answer = await privateAnswer(run('escalate', [{ name: 'first', type: USER, value: DISCORD_USERS.seat }]));
    expect(answer).toContain('needs `reason`');
    expect(answer).toContain('`/escalate first:@ana reason:');
  });

  it('answers a value out of range with the allowed range and the command to type', async () => {
    const answer = await privateAnswer(run('seat', [{ name: 'add', type: SUBCOMMAND, options: [{ name: 'user', type: USER, value: DISCORD_USERS.stranger }, { name: 'max', type: INTEGER, value: 500 }] }], { channelId: channel() }));
    expect(answer).toContain('from 1 to 50 (you gave 500)');
    expect(answer).toContain('`/seat add user:@ana role:agent max:10`');
  });

  it('answers a choice that does not exist, a malformed date, and a grant that names neither role nor queue', async () => {
    expect(await privateAnswer(run('status', [{ name: 'state', type: STRING, value: 'sleeping' }], { channelId: channel() }))).toContain('one of online, away, paused');
    expect(await privateAnswer(run('export', [{ name: 'from', type: STRING, value: 'last tuesday' }], { channelId: channel() }))).toContain('must be a date like 2026-11-01');
    expect(await privateAnswer(run('assign', [{ name: 'user', type: USER, value: DISCORD_USERS.stranger }], { channelId: channel() }))).toContain('needs exactly one of `role` or `queue`');
  });

  it('hands the conversation to the picked colleague with /transfer, who gets a DM linking the thread', async () => {
    const answer = await privateAnswer(run('transfer', [{ name: 'user', type: USER, value: DISCORD_USERS.colleague }, { name: 'reason', type: STRING, value: 'she speaks Swedish' }]));
    expect(answer).toContain('/transfer');
    await fake.waitFor((f) => f.messagesIn(thread).some((m) => m.content.includes('transferred this conversation') && m.content.includes('she speaks Swedish')));
    await fake.waitFor((f) => JSON.stringify(f.message(thread)?.embeds).includes(`discord:${DISCORD_USERS.colleague}`));
    const dm = await fake.waitFor((f) => f.dmsTo(DISCORD_USERS.colleague).find((m) => m.content.includes('handed you a conversation')));
    expect(dm.content).toContain(`https://discord.com/channels/${fake.config.guildId}/${thread}`);
  });

  it('imports seats from a CSV attached to /seat import', async () => {
    const csv = fake.addAttachment('seats.csv', Buffer.from('user,name,roles\n940000000000000009,Lee,agent\n'));
    const it1 = fake.runCommand({
      userId: DISCORD_USERS.seat, channelId: channel(), name: 'seat',
      options: [{ name: 'import', type: SUBCOMMAND, options: [{ name: 'file', type: 11, value: csv.id }] }],
      resolved: { attachments: { [csv.id]: csv } },
    });
    await privateAnswer(it1);
    expect((await h.app.desk.seats.ofActor({ platform: 'discord', userId: '940000000000000009' }))?.name).toBe('Lee');
  });

  it('acknowledges a header button without a message when it worked, and answers a non-seat privately', async () => {
    const press = async (userId: string, label: string) => {
      const customId = await fake.waitFor((f) => (f.message(thread)!.components?.[0] as { components: { label: string; custom_id: string }[] } | undefined)?.components.find((b) => b.label === label)?.custom_id);
      return fake.pressButton({ userId, messageId: thread, customId });
    };
    const release = await press(DISCORD_USERS.seat, 'Release');
    await fake.waitFor(() => release.callbacks.length);
    expect(release.callbacks[0]!.type).toBe(6);
    await fake.waitFor((f) => JSON.stringify(f.message(thread)?.embeds).includes('Waiting for an agent'));
    const stranger = await press(DISCORD_USERS.stranger, 'Claim');
    expect(await privateAnswer(stranger)).toContain('not a seat');
    const claim = await press(DISCORD_USERS.seat, 'Claim');
    await fake.waitFor(() => claim.callbacks.length);
    expect(claim.callbacks[0]!.type).toBe(6);
    await fake.waitFor((f) => JSON.stringify(f.message(thread)?.embeds).includes(`Claimed by discord:${DISCORD_USERS.seat}`));
  });

  it('answers an interaction dispatched twice only once', async () => {
    const first = run('claim', []);
    fake.dispatch('INTERACTION_CREATE', first.payload);
    await privateAnswer(first);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.calls.filter((c) => c.path.startsWith(`/interactions/${first.id}/`))).toHaveLength(1);
  });
});

describe('answering a slow interaction', () => {
  it('sends a deferred ephemeral response in time and edits the answer in when the work is done', async () => {
    const fake = await startDiscordFake();
    try {
      const rest = new REST({ api: fake.url }).setToken(fake.config.token);
      await rest.put(Routes.applicationGuildCommands(fake.config.applicationId, fake.config.guildId), { body: [{ name: 'claim', description: 'Take it', type: 1 }] });
      const it1 = fake.runCommand({ userId: DISCORD_USERS.seat, channelId: fake.config.channels[0]!, name: 'claim' });
      await answerInteraction({
        rest, applicationId: fake.config.applicationId, log: createLogger('silent'), interaction: it1, kind: 'command', deferAfterMs: 100,
        work: async (privately) => { await new Promise((r) => setTimeout(r, 400)); await privately('finally done'); return undefined; },
      });
      expect(it1.callbacks.map((c) => c.type)).toEqual([5]);
      expect(it1.callbacks[0]!.at - it1.createdAt).toBeLessThan(3000);
      expect(it1.reply).toEqual({ content: 'finally done', ephemeral: true });
      expect(it1.failed).toBe(false);
    } finally {
      await fake.close();
    }
  });

  it('turns a fault into an ephemeral message with a reference that is also in the log', async () => {
    const fake = await startDiscordFake();
    const lines: string[] = [];
    const log = createLogger('info', new Writable({ write(c, _e, cb) { lines.push(String(c)); cb(); } }));
    try {
      const rest = new REST({ api: fake.url }).setToken(fake.config.token);
      await rest.put(Routes.applicationGuildCommands(fake.config.applicationId, fake.config.guildId), { body: [{ name: 'claim', description: 'Take it', type: 1 }] });
      const it1 = fake.runCommand({ userId: DISCORD_USERS.seat, channelId: fake.config.channels[0]!, name: 'claim' });
      await answerInteraction({ rest, applicationId: fake.config.applicationId, log, interaction: it1, kind: 'command', work: async () => { throw new Error('store unreachable'); } });
      const ref = /reference ([0-9a-f]{6})/.exec(it1.reply?.content ?? '')?.[1];
      expect(ref).toBeTruthy();
      expect(it1.reply?.ephemeral).toBe(true);
      expect(lines.join('')).toContain(ref!);
    } finally {
      await fake.close();
    }
  });
});
