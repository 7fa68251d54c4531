import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Api } from 'grammy';
import type { Update as TelegramUpdate } from 'grammy/types';
import { actions } from '../support/actions.js';
import type { DriverSession } from '../support/messenger-driver.js';
import { discordDriver } from '../support/drivers/discord.js';
import { startTelegramDesk, telegramDriver, TELEGRAM_USERS } from '../support/drivers/telegram.js';
import type { StoreKind } from '../support/start-desk.js';
import { injectStoreOutage, type StoreOutage } from '../support/store-outage.js';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram/index.js';
import { TelegramPollingReceiver } from '../../src/bot/telegram/polling-receiver.js';
import { createLogger } from '../../src/runtime/logger.js';
import { Metrics } from '../../src/runtime/metrics.js';
import { StoreUnavailableError } from '../../src/store/store-errors.js';

const STORES: StoreKind[] = ['embedded', 'redis'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Log lines at warn or above whose message matches. */
const logged = (logs: readonly string[], msg: RegExp) => logs.filter((l) => /"level":(40|50|60)/.test(l) && msg.test(l));

/**
 * Issue 9: a delivery from a messenger whose processing fails (here: the
 * store is unreachable while it is processed) is retried with backoff, never
 * skipped and never doubled; later ones wait behind it, in order. Real SDKs
 * (grammY, discord.js) against the fakes, on both stores.
 */
describe.each(STORES)('a store outage while agents write, on the %s store', (store) => {
  describe.each([
    { label: 'Telegram (long polling)', start: () => telegramDriver('polling').start(store), retried: /telegram update failed; retrying/ },
    { label: 'Discord (gateway)', start: () => discordDriver.start(store), retried: /discord message failed; retrying/ },
  ])('$label', ({ start, retried }) => {
    let s: DriverSession;
    let outage: StoreOutage;
    let thread: string;
    beforeAll(async () => {
      s = await start();
      await actions(s.h).customerWrites('491709990001', 'Is my order shipped?', { name: 'Mia' });
      thread = await s.threadWith('Is my order shipped?');
      outage = injectStoreOutage(s.h.app.store);
    }, 60_000);
    afterAll(async () => { outage?.up(); await s?.h.close(); });

    it('delivers every reply written during the outage once the store is back, once each and in order', async () => {
      const texts = ['First reply while the store is away', 'Second reply while the store is away', 'Third reply while the store is away'];
      outage.down();
      const writes: Promise<{ status: number }>[] = [];
      for (const text of texts) {
        writes.push(s.agentWrites(s.users.seat, thread, text));
        // Written one after the other, as people do.
        await sleep(50);
      }
      // The first one is tried and fails more than once: it is retried, not skipped.
      await expect.poll(() => logged(s.h.logs, retried).length, { timeout: 10_000, interval: 100 }).toBeGreaterThanOrEqual(2);
      expect(s.h.graph.sent.filter((m) => texts.includes(m.text ?? ''))).toEqual([]);
      outage.up();

      for (const w of writes) expect((await w).status).toBe(200);
      await s.h.graph.waitFor((g) => g.sent.filter((m) => texts.includes(m.text ?? '')).length === texts.length, 30_000);
      // A moment more: nothing comes twice.
      await sleep(1500);
      expect(s.h.graph.sent.filter((m) => texts.includes(m.text ?? '')).map((m) => m.text)).toEqual(texts);
      expect(outage.refused).toBeGreaterThan(0);
      expect(logged(s.h.logs, /given up/)).toEqual([]);
      // Every series is listed from the start (prom-client): nothing given up means no count above 0.
      expect(await s.h.app.metrics.render()).not.toMatch(/^inbound_given_up_total(\{[^}]*\})? [1-9]/m);
    }, 60_000);
  });
});

describe('Telegram webhook during a store outage', () => {
  it('answers 5xx while the update cannot be processed, so Telegram sends it again, and processes the redelivery once', async () => {
    const { h, fake } = await startTelegramDesk('embedded', { mode: 'webhook' });
    try {
      await fake.userStartsBot(TELEGRAM_USERS.seat);
      await actions(h).customerWrites('491709990002', 'Where is my refund?', { name: 'Noa' });
      const topic = await fake.waitFor((f) => f.topics.find((t) => f.topicMessages(t.message_thread_id).some((m) => m.text === 'Where is my refund?')), 20_000);
      const outage = injectStoreOutage(h.app.store);
      outage.down();
      const first = await fake.userWritesInTopic(TELEGRAM_USERS.seat, topic.message_thread_id, 'Your refund left today');
      expect(first.status).toBeGreaterThanOrEqual(500);
      outage.up();
      const updateId = fake.deliveries.at(-1)!.update_id;
      expect((await fake.redeliver(updateId)).status).toBe(200);
      // Telegram may send it once more (its answer to the first retry was lost): still once.
      expect((await fake.redeliver(updateId)).status).toBe(200);
      await h.graph.waitFor((g) => g.sent.find((m) => m.text === 'Your refund left today'), 10_000);
      await sleep(1000);
      expect(h.graph.sent.filter((m) => m.text === 'Your refund left today')).toHaveLength(1);
    } finally {
      await h.close();
    }
  }, 60_000);
});

/**
 * The poison policy (runtime/retry-with-backoff.ts) at the poller's seam:
 * grammY's Api against the Telegram fake, the update handler scripted, the
 * policy shortened from minutes to a second.
 */
describe('the Telegram poller with a poison update', () => {
  const POLICY = { firstDelayMs: 50, maxDelayMs: 200, giveUpAfterMs: 1000 };
  let fake: TelegramFake;
  let poller: TelegramPollingReceiver | undefined;
  let logs: string[];
  const log = () => createLogger('debug', new Writable({ write(chunk, _e, cb) { logs.push(String(chunk)); cb(); } }));
  const textOf = (u: TelegramUpdate) => u.message?.text ?? '';

  beforeAll(async () => { fake = await startTelegramFake({ confirmTimeoutMs: 20_000 }); });
  afterEach(async () => { await poller?.stop(); poller = undefined; });
  afterAll(async () => { await fake?.close(); });

  const startPoller = (handleUpdate: (u: TelegramUpdate) => Promise<void>, metrics = new Metrics()) => {
    logs = [];
    poller = new TelegramPollingReceiver({ api: new Api(fake.token, { apiRoot: fake.url }), log: log(), handleUpdate, botId: async () => fake.bot.id, timeoutSeconds: 1, retry: POLICY, metrics });
    poller.start();
    return metrics;
  };

  it('skips an update that fails the same way for longer than the policy allows, logs its id and type at error, counts it, and goes on in order', async () => {
    const handled: string[] = [];
    let poisonAttempts = 0;
    const metrics = startPoller(async (u) => {
      if (textOf(u) === 'poison') { poisonAttempts += 1; throw new TypeError('cannot read this update'); }
      handled.push(textOf(u));
    });
    const started = Date.now();
    const [before, poison, after] = await Promise.all([
      fake.userWritesInGroup(TELEGRAM_USERS.seat, 'before'),
      sleep(20).then(() => fake.userWritesInGroup(TELEGRAM_USERS.seat, 'poison')),
      sleep(40).then(() => fake.userWritesInGroup(TELEGRAM_USERS.seat, 'after')),
    ]);
    for (const d of [before, poison, after]) expect(d.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(POLICY.giveUpAfterMs);
    expect(handled).toEqual(['before', 'after']);
    expect(poisonAttempts).toBeGreaterThanOrEqual(4);
    const poisonId = fake.deliveries.find((d) => (d.update as { message?: { text?: string } }).message?.text === 'poison')!.update_id;
    const gaveUp = logs.filter((l) => /"level":50/.test(l) && /given up/.test(l));
    expect(gaveUp).toHaveLength(1);
    expect(JSON.parse(gaveUp[0]!)).toMatchObject({ updateId: poisonId, type: 'message', err: 'TypeError: cannot read this update' });
    expect(await metrics.render()).toContain('inbound_given_up_total{messenger="telegram",type="message"} 1');
  });

  it('never skips an update while the store is unreachable, however long that lasts, and confirms it only once processed', async () => {
    const handled: string[] = [];
    let storeBackAt = Infinity;
    const metrics = startPoller(async (u) => {
      if (Date.now() < storeBackAt) throw new StoreUnavailableError('Redis at 127.0.0.1:6379 is unavailable: test');
      handled.push(textOf(u));
    });
    storeBackAt = Date.now() + 2.5 * POLICY.giveUpAfterMs;
    const [first, second] = await Promise.all([
      fake.userWritesInGroup(TELEGRAM_USERS.seat, 'during the outage'),
      sleep(20).then(() => fake.userWritesInGroup(TELEGRAM_USERS.seat, 'also during the outage')),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(Date.now()).toBeGreaterThanOrEqual(storeBackAt);
    expect(handled).toEqual(['during the outage', 'also during the outage']);
    expect(logs.filter((l) => /given up/.test(l))).toEqual([]);
    expect(await metrics.render()).not.toMatch(/^inbound_given_up_total(\{[^}]*\})? [1-9]/m);
  });

  it('leaves a failing update unconfirmed when polling stops, so the next poller gets it again', async () => {
    startPoller(async () => { throw new StoreUnavailableError('Redis at 127.0.0.1:6379 is unavailable: test'); });
    const delivery = fake.userWritesInGroup(TELEGRAM_USERS.seat, 'handed over');
    await expect.poll(() => logs.filter((l) => /retrying/.test(l)).length, { timeout: 5000, interval: 50 }).toBeGreaterThanOrEqual(1);
    await poller!.stop();
    const handled: string[] = [];
    startPoller(async (u) => { handled.push(textOf(u)); });
    expect((await delivery).status).toBe(200);
    expect(handled).toEqual(['handed over']);
  });
});
