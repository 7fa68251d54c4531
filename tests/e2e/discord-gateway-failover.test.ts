import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordFake, type DiscordFake } from '../fakes/discord/index.js';
import { startGraphFake, type GraphFake } from '../fakes/whatsapp/start-graph-fake.js';
import { postWebhook, textMessageWebhook } from '../fakes/whatsapp/webhooks.js';
import { DISCORD_USERS, discordEnv, discordFakeOptions } from '../support/drivers/discord.js';
import { REDIS_URL, SECRETS } from '../support/start-desk.js';
import { freePort, spawnBot, type SpawnedBot } from '../support/spawn-bot.js';
import { GATEWAY_LEASE } from '../../src/bot/discord/adapter.js';

/**
 * The stated takeover time: the dead holder's lease expires at most
 * `ttlMs` (8 s) after its last renewal, a standby tries every `pollMs` (1 s,
 * plus up to 0.2 s jitter), then the handshake; 11 s leaves room for a
 * loaded machine.
 */
const TAKEOVER_MS = GATEWAY_LEASE.ttlMs + GATEWAY_LEASE.pollMs + 2000;

/**
 * Issue 4 acceptance: two bot processes share Redis; only one holds the
 * Discord gateway. When its process is killed (SIGKILL: no clean logout, no
 * lease hand-over) the other connects within the stated time, and every
 * thread reply, including one written while no bot was connected, reaches
 * the customer exactly once.
 *
 * The bots run as real processes (`src/main.ts`, as an operator starts them),
 * so they use the default key prefix: they get a Redis database of their own.
 */
describe('Discord gateway failover between two replicas sharing Redis', () => {
  let fake: DiscordFake;
  let graph: GraphFake;
  let a: SpawnedBot | undefined;
  let b: SpawnedBot | undefined;
  const dirs: string[] = [];
  const url = new URL(REDIS_URL);
  url.pathname = '/9';
  const redisUrl = url.toString();

  const clearRedis = async () => {
    const r = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await r.connect();
    const keys = [...(await r.keys('threaddesk:*')), ...(await r.keys('b_threaddesk:*'))];
    if (keys.length) await r.del(...keys);
    await r.quit();
  };
  const envFor = (port: number): Record<string, string> => {
    const dataDir = mkdtempSync(join(tmpdir(), 'threaddesk-discord-'));
    dirs.push(dataDir);
    return {
      PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', REDIS_URL: redisUrl,
      ...discordEnv(fake),
      WHATSAPP_ACCESS_TOKEN: SECRETS.waToken, WHATSAPP_APP_SECRET: SECRETS.waAppSecret, WHATSAPP_VERIFY_TOKEN: SECRETS.waVerify,
      WHATSAPP_PHONE_NUMBER_ID: SECRETS.phoneNumberId, WHATSAPP_API_URL: graph.url,
    };
  };

  beforeAll(async () => {
    await clearRedis();
    fake = await startDiscordFake(discordFakeOptions());
    graph = await startGraphFake({ accessToken: SECRETS.waToken, phoneNumberId: SECRETS.phoneNumberId, appSecret: SECRETS.waAppSecret });
  });
  afterAll(async () => {
    a?.child.kill('SIGKILL');
    b?.child.kill('SIGKILL');
    await Promise.all([a?.exited, b?.exited]);
    await Promise.all([fake?.close(), graph?.close()]);
    await clearRedis();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const customerWrites = (botUrl: string, text: string) => {
    graph.customerWrote('491705557777', Date.now());
    return postWebhook(botUrl, SECRETS.waAppSecret, textMessageWebhook({ phoneNumberId: SECRETS.phoneNumberId }, { from: '491705557777', body: text, name: 'Mia' }));
  };
  const sent = (text: string) => graph.sent.filter((m) => m.text === text).length;

  it('keeps one gateway connection, and after a SIGKILL of its holder the standby connects in time and loses or repeats no reply', async () => {
    a = await spawnBot(envFor(await freePort()));
    await fake.waitFor((f) => f.liveConnections === 1 && f.commands.length > 0, 15_000);
    b = await spawnBot(envFor(await freePort()));
    // Several of the standby's lease attempts go by: it must stay off the gateway.
    await new Promise((r) => setTimeout(r, 2 * GATEWAY_LEASE.pollMs + 500));
    expect(fake.identifies).toHaveLength(1);
    expect(fake.liveConnections).toBe(1);

    // Webhooks and the outbox work on either replica.
    expect((await customerWrites(b.url, 'My order never came')).status).toBe(200);
    const thread = (await fake.waitFor((f) => f.threadsIn(f.config.channels[0]!).find((t) => f.messagesIn(t.id).some((m) => m.content === 'My order never came')), 10_000)).id;
    const first = fake.userWrites({ channelId: thread, userId: DISCORD_USERS.seat, content: 'Reply one, before the crash' });
    await graph.waitFor(() => sent('Reply one, before the crash') === 1, 10_000);
    await fake.waitFor((f) => f.reactions.some((r) => r.messageId === first.id), 10_000);
    // Let the holder finish its lanes before it dies (its watermark, written every 2 s, is older than this wait anyway).
    await new Promise((r) => setTimeout(r, 1000));

    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    await a.exited;
    await fake.waitFor((f) => f.liveConnections === 0, 5000);
    // Written while no bot is connected: Discord keeps it in the thread, but no session will replay it to a new one.
    fake.userWrites({ channelId: thread, userId: DISCORD_USERS.seat, content: 'Reply two, while nobody listens' });

    await fake.waitFor((f) => f.identifies.length === 2 && f.liveConnections === 1, TAKEOVER_MS + 5000);
    const takeoverMs = fake.identifies[1]!.at - killedAt;
    expect(takeoverMs, `the standby identified ${takeoverMs} ms after the kill`).toBeLessThan(TAKEOVER_MS);
    fake.userWrites({ channelId: thread, userId: DISCORD_USERS.seat, content: 'Reply three, after the takeover' });

    await graph.waitFor(() => sent('Reply two, while nobody listens') >= 1 && sent('Reply three, after the takeover') >= 1, 15_000);
    // Time for a duplicate to surface, if there were one (the new leader re-reads recent messages).
    await new Promise((r) => setTimeout(r, 1500));
    expect(['Reply one, before the crash', 'Reply two, while nobody listens', 'Reply three, after the takeover'].map(sent)).toEqual([1, 1, 1]);
    expect(fake.maxLiveConnections).toBe(1);
  }, 90_000);
});
