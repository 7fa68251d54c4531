import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackFake, type SlackFake } from '../fakes/slack/index.js';
import { startGraphFake, type GraphFake } from '../fakes/whatsapp/start-graph-fake.js';
import { postWebhook, textMessageWebhook } from '../fakes/whatsapp/webhooks.js';
import { deleteRedisKeys, randomPrefix } from '../store/store-harnesses.js';
import { REDIS_URL, SECRETS } from '../support/start-desk.js';
import { freePort, spawnBot, type SpawnedBot } from '../support/spawn-bot.js';
import { LANE_LEASE } from '../../src/runtime/lane-lease.js';
import { SLACK_BUDGETS } from '../../src/bot/slack/budgets.js';
import { bottleneckRedisOptions } from '../../src/runtime/bottleneck-redis-options.js';
import { DEAD_AFTER_MS } from '../../src/runtime/reap-dead-limiter-clients.js';

/** The channel's slots (posts to different threads may overlap): the test holds all but one of them. */
const SLOTS = SLACK_BUDGETS['slack:post']!.maxConcurrent;
/** Conversations written to each replica; each is two posts into the channel (its thread's header, then the text). */
const ON_A = 8;
const ON_B = 4;
/** The longest pause in the channel's posts after the kill (the issue saw none in 15 minutes). */
const STALL_LIMIT_MS = 10_000;

/**
 * Issue 9, point 3: a limiter slot held by a process that died is freed
 * within seconds. Two replicas share one Redis and post a burst into one
 * Slack channel, whose limiter lets a few calls (posts to different threads)
 * run or wait for their turn at once across both. The replica holding those
 * slots is killed with SIGKILL (no release, no goodbye); the survivor,
 * already waiting for a slot, must go on within seconds, take over the dead
 * replica's lanes, and deliver every message.
 *
 * A replica runs several posts back to back in one slot, so two replicas
 * seldom need more than the channel's slots by themselves; the test makes
 * the one slot scarce by holding all the others as a third, live client of
 * the same limiter (same settings, its own heartbeat), so A and B contend
 * for it and B waits whenever A has it.
 */
describe('a replica killed while it holds the shared limiter slot of a Slack channel', () => {
  const prefix = randomPrefix();
  const limiterId = `${prefix}slack:post-slack:post:C0SUPPORT`;
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let slack: SlackFake;
  let graph: GraphFake;
  let a: SpawnedBot | undefined;
  let b: SpawnedBot | undefined;
  const dirs: string[] = [];
  /** The test's own client of the channel's limiter, and the way to let its slots go. */
  let squatter: Bottleneck | undefined;
  let releaseSquatted: () => void = () => {};

  beforeAll(async () => {
    await redis.connect();
    slack = await startSlackFake();
    graph = await startGraphFake({ accessToken: SECRETS.waToken, phoneNumberId: SECRETS.phoneNumberId, appSecret: SECRETS.waAppSecret });
  });
  afterAll(async () => {
    releaseSquatted();
    await squatter?.disconnect(false);
    for (const bot of [a, b]) bot?.child.kill('SIGKILL');
    await Promise.all([a?.exited, b?.exited]);
    await Promise.all([slack?.close(), graph?.close()]);
    await deleteRedisKeys(prefix);
    await deleteRedisKeys(`b_${prefix}`);
    redis.disconnect();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const envFor = (port: number): Record<string, string> => {
    const dataDir = mkdtempSync(join(tmpdir(), 'threaddesk-limiter-'));
    dirs.push(dataDir);
    return {
      PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', REDIS_URL, REDIS_PREFIX: prefix,
      SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRETS.slackSigning, SLACK_CHANNEL: 'C0SUPPORT', SLACK_API_URL: slack.url,
      WHATSAPP_ACCESS_TOKEN: SECRETS.waToken, WHATSAPP_APP_SECRET: SECRETS.waAppSecret, WHATSAPP_VERIFY_TOKEN: SECRETS.waVerify,
      WHATSAPP_PHONE_NUMBER_ID: SECRETS.phoneNumberId, WHATSAPP_API_URL: graph.url, BOOTSTRAP_ADMINS: 'slack:U0AGENT',
    };
  };
  const biz = { phoneNumberId: SECRETS.phoneNumberId };
  const write = (bot: SpawnedBot, c: number) =>
    postWebhook(bot.url, SECRETS.waAppSecret, textMessageWebhook(biz, { from: `4917055510${String(c).padStart(2, '0')}`, body: `burst message ${c}`, name: `Customer ${c}` }));
  const posts = () => slack.callsTo('chat.postMessage').filter((c) => c.ok);
  const postedTimes = (c: number) => slack.messages.filter((m) => m.text.split('\n').includes(`burst message ${c}`)).length;

  /** bottleneck's record of the channel limiter (lib/Scripts.js key names): who runs a job, who waits. */
  const slotHolders = async () => Object.values(await redis.hgetall(`b_${limiterId}_job_clients`));
  /** Who holds the outbox lanes' leases (the value is the holder's instance id). */
  const laneLeaseHolders = async () => {
    const leaseKeys = await redis.keys(`${prefix}atomic:lease:lane:*`);
    return leaseKeys.length ? (await redis.mget(...leaseKeys)).filter((v): v is string => v !== null) : [];
  };
  const waiting = async () => Object.entries(await redis.hgetall(`b_${limiterId}_client_num_queued`)).filter(([, n]) => Number(n) > 0).map(([client]) => client);

  it('frees the dead replica\'s slot within seconds, and the survivor delivers the whole burst', async () => {
    // Both up before the burst, so A still has most of it to post when B joins in.
    [a, b] = await Promise.all([spawnBot(envFor(await freePort())), spawnBot(envFor(await freePort()))]);
    for (let c = 0; c < ON_A; c++) expect((await write(a, c)).status).toBe(200);
    await slack.waitFor(() => posts().length >= 2, 10_000);
    // A took its lanes as it stored them, so only A has used the channel's limiter so far: its client there is the one registered.
    const registered = await redis.zrange(`b_${limiterId}_client_last_seen`, 0, -1);
    expect(registered, 'one client (A) in the channel limiter before B has work').toHaveLength(1);
    const clientOfA = registered[0];
    const instanceOfA = (await laneLeaseHolders())[0];
    expect(instanceOfA, 'A works its lanes under leases').toBeTruthy();

    // The test takes all slots but one, with the settings the bot's limiters use (src/runtime/limiters.ts).
    squatter = new Bottleneck({
      id: limiterId, datastore: 'ioredis', clientOptions: bottleneckRedisOptions(REDIS_URL), clearDatastore: false,
      minTime: 0, maxConcurrent: SLOTS, heartbeatInterval: 250, clientTimeout: DEAD_AFTER_MS, timeout: 15 * 60_000,
    });
    const squatting = new Promise<void>((resolve) => { releaseSquatted = resolve; });
    let squatted = 0;
    for (let i = 0; i < SLOTS - 1; i++) void squatter.schedule(async () => { squatted += 1; await squatting; });
    await slack.waitFor(() => (squatted === SLOTS - 1 ? true : undefined), 20_000);

    for (let c = ON_A; c < ON_A + ON_B; c++) expect((await write(b, c)).status).toBe(200);

    // Kill A at a moment when it holds the slot and B waits for it.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const [holders, waiters] = await Promise.all([slotHolders(), waiting()]);
      if (holders.includes(clientOfA!) && waiters.some((w) => w !== clientOfA)) break;
      if (Date.now() > deadline) throw new Error(`A never held the slot while B waited (${posts().length} posts so far; holders ${JSON.stringify(holders)}, waiting ${JSON.stringify(waiters)}, A is ${clientOfA}):\n${b.output()}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const killedAt = Date.now();
    a.child.kill('SIGKILL');
    // Watched from the kill on, beside the waits below: looked at only after them, a slow slot
    // takeover on a stalled CI machine would be counted against the leases.
    const leasesFreed = (async () => {
      while ((await laneLeaseHolders()).includes(instanceOfA!)) await new Promise((r) => setTimeout(r, 50));
      return Date.now();
    })();
    await a.exited;
    expect(await slotHolders(), 'the dead replica still holds the slot after the kill').toContain(clientOfA);

    // A post A had on the wire may still arrive just after the kill; B cannot post while A's slot is held.
    const next = await slack.waitFor(() => posts().find((p) => p.time > killedAt + 100), STALL_LIMIT_MS + 5000);
    const stallMs = next.time - killedAt;
    releaseSquatted();
    const leasesFreedAt = await leasesFreed;
    const ofA = (p: { args: Record<string, unknown> }) => Number(/burst message (\d+)/.exec(String(p.args.text ?? ''))?.[1] ?? ON_A) < ON_A;
    const lanesResumedAt = (await slack.waitFor(() => posts().find((p) => p.time > killedAt + 100 && ofA(p)), 30_000)).time;
    console.info(`limiter failover: first post ${stallMs} ms after the kill; the dead replica's lane leases were free after ${leasesFreedAt - killedAt} ms and its lanes posted again after ${lanesResumedAt - killedAt} ms; 429s from the fake: ${slack.rateLimitedCount}`);
    expect(stallMs, `the channel stood still for ${stallMs} ms after the kill`).toBeLessThan(STALL_LIMIT_MS);
    expect(leasesFreedAt - killedAt, 'the dead replica\'s lane leases lapse within their TTL').toBeLessThan(LANE_LEASE.ttlMs + 1000);

    await slack.waitFor(() => Array.from({ length: ON_A + ON_B }, (_, c) => postedTimes(c)).every((n) => n >= 1), 40_000);
    const counts = Array.from({ length: ON_A + ON_B }, (_, c) => postedTimes(c));
    // At most the one post A had on the wire can repeat (its outcome was never recorded).
    expect(counts.reduce((sum, n) => sum + n, 0) - counts.length).toBeLessThanOrEqual(1);
    expect(b.output(), 'the survivor says it freed the dead replica\'s slot').toContain('freed rate limiter slots held by a replica that stopped');
  }, 90_000);
});
