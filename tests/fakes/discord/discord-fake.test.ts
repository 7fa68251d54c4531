import { afterEach, describe, expect, it } from 'vitest';
import { Client, Events, GatewayIntentBits, MessageFlags, REST, RateLimitError, Routes, type Message } from 'discord.js';
import { WebSocket } from 'ws';
import { startDiscordFake, type DiscordFake, type DiscordFakeOptions } from './index.js';

const AGENT = '940000000000000001';
const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent];

/**
 * The Discord fake against the real discord.js 14 (client, @discordjs/ws,
 * @discordjs/rest): what the bot relies on must behave as on Discord.
 */
describe('the Discord fake', () => {
  let fake: DiscordFake | undefined;
  const clients: Client[] = [];
  const start = async (o: DiscordFakeOptions = {}) => (fake = await startDiscordFake(o));
  const login = async (f: DiscordFake) => {
    const client = new Client({ intents: INTENTS, rest: { api: f.url } });
    clients.push(client);
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(f.config.token);
    await ready;
    return client;
  };
  const rest = (f: DiscordFake, o: ConstructorParameters<typeof REST>[0] = {}) => new REST({ api: f.url, ...o }).setToken(f.config.token);
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.destroy();
    await fake?.close();
    fake = undefined;
  });

  it('lets discord.js log in: gateway URL from GET /gateway/bot, IDENTIFY with its intents, READY and GUILD_CREATE', async () => {
    const f = await start();
    const client = await login(f);
    expect(f.callsTo('GET /gateway/bot')).toHaveLength(1);
    expect(f.identifies).toHaveLength(1);
    expect(f.identifies[0]!.intents).toBe((1 << 0) | (1 << 9) | (1 << 15));
    expect(client.user?.id).toBe(f.config.botUserId);
    expect(client.guilds.cache.get(f.config.guildId)?.channels.cache.has(f.config.channels[0]!)).toBe(true);
    expect(f.liveConnections).toBe(1);
  });

  it('closes IDENTIFY with 4014 when the Message Content intent is not enabled for the app', async () => {
    const f = await start({ messageContentAllowed: false });
    const client = new Client({ intents: INTENTS, rest: { api: f.url } });
    clients.push(client);
    const disconnected = new Promise<number>((resolve) => client.once(Events.ShardDisconnect, (ev: { code: number }) => resolve(ev.code)));
    void client.login(f.config.token).catch(() => {});
    expect(await disconnected).toBe(4014);
  });

  it('acknowledges heartbeats, and without the ACK discord.js drops the zombie connection and resumes its session', async () => {
    const f = await start({ heartbeatIntervalMs: 250 });
    await login(f);
    await f.waitFor((x) => x.connections[0]!.heartbeats >= 2, 5000);
    f.setHeartbeatAcks(false);
    await f.waitFor((x) => x.connections.some((c) => c.resumed), 5000);
    f.setHeartbeatAcks(true);
    expect(f.identifies).toHaveLength(1);
  });

  it('replays on RESUME what was dispatched while the socket was down, then says RESUMED', async () => {
    const f = await start();
    const frames: { op: number; t?: string; s?: number; d?: unknown }[] = [];
    const open = (onFrame: (x: (typeof frames)[number]) => void) => new Promise<WebSocket>((resolve) => {
      const ws = new WebSocket(f.gatewayUrl);
      ws.on('message', (raw) => onFrame(JSON.parse(String(raw)) as (typeof frames)[number]));
      ws.on('open', () => resolve(ws));
    });
    const first = await open((x) => frames.push(x));
    first.send(JSON.stringify({ op: 2, d: { token: f.config.token, intents: 513, properties: {} } }));
    await f.waitFor((x) => x.liveConnections === 1);
    const readyFrame = await f.waitFor(() => frames.find((x) => x.t === 'READY'));
    const sessionId = (readyFrame.d as { session_id: string }).session_id;
    const lastSeq = Math.max(...frames.map((x) => x.s ?? 0));
    first.terminate();
    await f.waitFor((x) => x.liveConnections === 0);
    const missed = f.userWrites({ channelId: f.config.channels[0]!, userId: AGENT, content: 'written while the bot was away' });
    const replayed: (typeof frames)[number][] = [];
    const second = await open((x) => replayed.push(x));
    second.send(JSON.stringify({ op: 6, d: { token: f.config.token, session_id: sessionId, seq: lastSeq } }));
    await f.waitFor(() => replayed.some((x) => x.t === 'RESUMED'));
    expect(replayed.filter((x) => x.op === 0).map((x) => x.t)).toEqual(['MESSAGE_CREATE', 'RESUMED']);
    expect((replayed[1]!.d as { id: string }).id).toBe(missed.id);
    second.send(JSON.stringify({ op: 6, d: { token: f.config.token, session_id: 'nope', seq: 1 } }));
    await f.waitFor(() => replayed.find((x) => x.op === 9));
    second.close();
  });

  it('dispatches MESSAGE_CREATE and INTERACTION_CREATE, and answers interaction callbacks with 204 and no content type', async () => {
    const f = await start();
    const client = await login(f);
    await rest(f).put(Routes.applicationGuildCommands(f.config.applicationId, f.config.guildId), { body: [{ name: 'claim', description: 'Take it', type: 1, options: [] }] });
    const seen = new Promise<Message>((resolve) => client.once(Events.MessageCreate, resolve));
    f.userWrites({ channelId: f.config.channels[0]!, userId: AGENT, content: 'hello <@930000000000000001>' });
    const message = await seen;
    expect(message.content).toBe('hello <@930000000000000001>');
    expect(message.author.id).toBe(AGENT);
    client.on(Events.InteractionCreate, (i) => { if (i.isChatInputCommand()) void i.reply({ content: 'only you see this', flags: MessageFlags.Ephemeral }); });
    const it1 = f.runCommand({ userId: AGENT, channelId: f.config.channels[0]!, name: 'claim' });
    await f.waitFor(() => it1.reply);
    expect(it1.reply).toEqual({ content: 'only you see this', ephemeral: true });
    expect(f.ephemeralsTo(AGENT)).toEqual(['only you see this']);
    const callback = f.calls.find((c) => c.route === 'POST /interactions/:id/:token/callback')!;
    expect([callback.status, callback.authorized]).toEqual([204, false]);
    expect(() => f.runCommand({ userId: AGENT, channelId: f.config.channels[0]!, name: 'unregistered' })).toThrow(/not registered/);
  });

  it('dispatches MESSAGE_UPDATE with the edited message and MESSAGE_DELETE with its ids, as raw gateway events', async () => {
    const f = await start();
    const client = await login(f);
    const raw: { t: string; d: Record<string, unknown> }[] = [];
    client.on(Events.Raw, (packet: { t: string | null; d: Record<string, unknown> }) => { if (packet.t === 'MESSAGE_UPDATE' || packet.t === 'MESSAGE_DELETE') raw.push({ t: packet.t, d: packet.d }); });
    const m = f.userWrites({ channelId: f.config.channels[0]!, userId: AGENT, content: 'first' });
    f.userEdits(m.id, 'second');
    f.userDeletes(m.id);
    await f.waitFor(() => raw.length === 2);
    expect(raw[0]).toMatchObject({ t: 'MESSAGE_UPDATE', d: { id: m.id, channel_id: f.config.channels[0], guild_id: f.config.guildId, content: 'second', author: { id: AGENT } } });
    expect(typeof raw[0]!.d.edited_timestamp).toBe('string');
    expect(raw[1]).toEqual({ t: 'MESSAGE_DELETE', d: { id: m.id, channel_id: f.config.channels[0], guild_id: f.config.guildId } });
    expect(f.message(m.id)).toBeUndefined();
  });

  it('marks an interaction failed when nobody answers within the deadline, and refuses a late answer', async () => {
    const f = await start({ interactionDeadlineMs: 200 });
    await rest(f).put(Routes.applicationGuildCommands(f.config.applicationId, f.config.guildId), { body: [{ name: 'claim', description: 'Take it', type: 1 }] });
    const it1 = f.runCommand({ userId: AGENT, channelId: f.config.channels[0]!, name: 'claim' });
    await f.waitFor(() => it1.failed, 2000);
    await expect(rest(f).post(Routes.interactionCallback(it1.id, it1.token), { body: { type: 4, data: { content: 'late' } }, auth: false })).rejects.toMatchObject({ code: 10062 });
  });

  it('starts a thread on a message with the message\'s id, refuses a second one, and follows Discord\'s content rules', async () => {
    const f = await start();
    const r = rest(f);
    const channel = f.config.channels[0]!;
    const header = (await r.post(Routes.channelMessages(channel), { body: { content: 'header', components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Claim', custom_id: 'td:claim:c1' }] }] } })) as { id: string };
    const thread = (await r.post(Routes.threads(channel, header.id), { body: { name: 'Ana · WhatsApp', auto_archive_duration: 10080 } })) as { id: string; parent_id: string; type: number };
    expect(thread).toMatchObject({ id: header.id, parent_id: channel, type: 11 });
    await expect(r.post(Routes.threads(channel, header.id), { body: { name: 'again' } })).rejects.toMatchObject({ code: 160004 });
    await r.post(Routes.channelMessages(thread.id), { body: { content: 'in the thread' } });
    expect(f.messagesIn(thread.id).map((m) => m.content)).toEqual(['in the thread']);
    await expect(r.post(Routes.channelMessages(thread.id), { body: { content: 'x'.repeat(2001) } })).rejects.toMatchObject({ code: 50035 });
    await expect(r.post(Routes.channelMessages(thread.id), { body: { content: '' } })).rejects.toMatchObject({ code: 50006 });
    await expect(r.patch(Routes.channelMessage(channel, header.id), { body: { components: [{ type: 1, components: [{ type: 2, style: 1, label: 'x', custom_id: 'y'.repeat(101) }] }] } })).rejects.toMatchObject({ code: 50035 });
    await r.put(Routes.channelMessageOwnReaction(thread.id, f.messagesIn(thread.id)[0]!.id, encodeURIComponent('✅')));
    expect(f.reactions.map((x) => x.emoji)).toEqual(['✅']);
    await expect(r.post(Routes.channelMessages('999999999999999999'), { body: { content: 'nowhere' } })).rejects.toMatchObject({ code: 10003 });
  });

  it('answers a per-route 429 with retry_after, Retry-After and X-RateLimit-* headers', async () => {
    const f = await start({ routeLimits: { 'POST /channels/:id/messages': { limit: 2, windowMs: 1000 } } });
    const post = () => fetch(`${f.url}/v10/channels/${f.config.channels[0]}/messages`, { method: 'POST', headers: { authorization: `Bot ${f.config.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ content: 'hi' }) });
    const ok = await post();
    expect(ok.headers.get('x-ratelimit-limit')).toBe('2');
    expect(ok.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(ok.headers.get('x-ratelimit-bucket')).toBeTruthy();
    await post();
    const limited = await post();
    expect(limited.status).toBe(429);
    const body = (await limited.json()) as { retry_after: number; global: boolean };
    expect(body.global).toBe(false);
    expect(body.retry_after).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBe(Math.ceil(body.retry_after));
    expect(limited.headers.get('x-ratelimit-scope')).toBe('user');
    expect(f.invalidRequestCount).toBe(1);
  });

  it('lets @discordjs/rest learn a bucket: with rejectOnRateLimit the next call fails before it is sent', async () => {
    const f = await start({ routeLimits: { 'POST /channels/:id/messages': { limit: 2, windowMs: 2000 } } });
    const r = rest(f, { retries: 0, rejectOnRateLimit: () => true });
    await r.post(Routes.channelMessages(f.config.channels[0]!), { body: { content: 'one' } });
    await r.post(Routes.channelMessages(f.config.channels[0]!), { body: { content: 'two' } });
    const error = await r.post(Routes.channelMessages(f.config.channels[0]!), { body: { content: 'three' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).global).toBe(false);
    expect(f.rateLimitedCount).toBe(0);
    // Another channel is another bucket.
    f.rateLimitNext({ route: 'POST /channels/:id/messages', count: 1, retryAfterMs: 1500 });
    const scripted = await fetch(`${f.url}/v10/channels/${f.config.channels[0]}/messages`, { method: 'POST', headers: { authorization: `Bot ${f.config.token}`, 'content-type': 'application/json' }, body: '{"content":"x"}' });
    expect([scripted.status, scripted.headers.get('retry-after')]).toEqual([429, '2']);
  });

  it('keeps the bot under 50 requests per second overall, with X-RateLimit-Global on the 429', async () => {
    const f = await start();
    const results = await Promise.all(Array.from({ length: 55 }, () => fetch(`${f.url}/v10/users/@me`, { headers: { authorization: `Bot ${f.config.token}` } })));
    const limited = results.filter((r) => r.status === 429);
    expect(limited.length).toBe(5);
    expect(limited[0]!.headers.get('x-ratelimit-global')).toBe('true');
    expect(((await limited[0]!.json()) as { global: boolean }).global).toBe(true);
  });

  it('refuses requests without the bot token with 401 and counts them as invalid', async () => {
    const f = await start();
    const res = await fetch(`${f.url}/v10/users/@me`, { headers: { authorization: 'Bot wrong' } });
    expect(res.status).toBe(401);
    expect(f.invalidRequestCount).toBe(1);
  });
});
