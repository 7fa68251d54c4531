import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TelegramFake } from '../fakes/telegram/index.js';
import { actions } from '../support/actions.js';
import { botLines, startTelegramDesk, TELEGRAM_USERS, TELEGRAM_WEBHOOK_SECRET } from '../support/drivers/telegram.js';
import { deepJsonText, fuzzSeed, mutateBytes, mutateJson, Rng } from '../support/fuzz.js';
import { expectAllRefused, expectNoServerErrors, failedRequestLines, nearLimitBodies, sendAll, statusCounts, watchProcessFaults, type FuzzRequest, type FuzzResult } from '../support/fuzz-http.js';
import type { DeskHarness } from '../support/start-desk.js';

/**
 * Issue 9 fuzz, POST /telegram/webhook: requests without the secret token
 * never take effect, and updates with the right token but mutated bodies
 * (built from the updates the Telegram fake really delivered) never get a
 * 5xx.
 */

const seed = fuzzSeed('POST /telegram/webhook');
const rng = new Rng(seed);
let h: DeskHarness;
let fake: TelegramFake;
let topic = 0;
/** Real updates as the fake delivered them: a seat in the topic, a button press, Start, a customer in private. */
let bases: Record<string, unknown>[] = [];
let nextUpdateId = 900_000_000;

const request = (body: Buffer | string, label: string, o: { secret?: string | null; contentType?: string; mayReset?: boolean } = {}): FuzzRequest => {
  const secret = o.secret === undefined ? TELEGRAM_WEBHOOK_SECRET : o.secret;
  return {
    method: 'POST', path: '/telegram/webhook', label,
    headers: { 'content-type': o.contentType ?? 'application/json', ...(secret !== null ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
    body, ...(o.mayReset ? { mayReset: true } : {}),
  };
};

/** A base update with a fresh update_id: one update_id in flight twice is answered 503 by design. */
const freshBase = () => ({ ...rng.pick(bases), update_id: nextUpdateId++ });
/** After a mutation, a numeric update_id is made fresh again (others are left as the mutation made them). */
const refreshId = (v: unknown) => {
  if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as { update_id?: unknown }).update_id === 'number') (v as { update_id: number }).update_id = nextUpdateId++;
  return v;
};

const LITERALS = ['null', '[]', '{}', '{"update_id":-1}', '{"update_id":"1"}', '{"update_id":1.5}', '{"update_id":1e300}', '{"update_id":7,"message":null}', '{"update_id":8,"message":{}}', '{"update_id":9,"message":{"chat":null}}', '{"update_id":10,"callback_query":{"from":null,"data":"td:claim"}}', '{"update_id":11,"message":{"message_id":1,"date":0,"chat":{"id":1,"type":"private"},"from":{"id":"x"},"text":{}}}', '{"update_id":12,"edited_message":{"chat":{"type":"private"}}}'];

function signedMutation(i: number): FuzzRequest {
  const roll = rng.int(100);
  if (roll < 55) {
    const m = mutateJson(rng, freshBase());
    return request(JSON.stringify(refreshId(m.value)), `signed#${i} ${m.how}`);
  }
  if (roll < 78) {
    const m = mutateBytes(rng, Buffer.from(JSON.stringify(freshBase())));
    return request(m.value, `signed#${i} ${m.how}`);
  }
  if (roll < 86) {
    const raw = rng.pick(LITERALS).replace(/"update_id":(\d+),/, () => `"update_id":${nextUpdateId++},`);
    return request(raw, `signed#${i} literal ${raw.slice(0, 70)}`);
  }
  if (roll < 92) {
    const contentType = rng.pick(['text/plain', 'application/x-www-form-urlencoded', '']);
    return request(JSON.stringify(freshBase()), `signed#${i} content-type "${contentType}"`, { contentType });
  }
  const depth = rng.pick([33, 500, 50_000]);
  return request(`{"update_id":${nextUpdateId++},"message":${deepJsonText(depth)}}`, `signed#${i} deep ${depth}`);
}

function forged(i: number): FuzzRequest {
  const body = JSON.stringify(rng.chance(0.7) ? freshBase() : refreshId(mutateJson(rng, freshBase()).value));
  const [mode, secret] = rng.pick<[string, string | null]>([
    ['no token', null],
    ['wrong token', 'not-the-secret'],
    ['token with another character', `${TELEGRAM_WEBHOOK_SECRET}x`],
    ['token upper-cased', TELEGRAM_WEBHOOK_SECRET.toUpperCase()],
    ['token cut short', TELEGRAM_WEBHOOK_SECRET.slice(0, -1)],
    ['empty token', ''],
  ]);
  return request(body, `forged#${i} (${mode})`, { secret });
}

/** Bot API calls that change something (reading calls and the webhook set-up excluded). */
const READING = new Set(['getMe', 'getUpdates', 'setWebhook', 'deleteWebhook', 'getWebhookInfo', 'getChat', 'getChatMember', 'getFile', 'setMyCommands', 'getMyCommands']);
const effects = () => fake.calls.filter((c) => !READING.has(c.method)).length;

describe(`fuzz POST /telegram/webhook (seed ${seed})`, () => {
  const watch = watchProcessFaults();

  beforeAll(async () => {
    ({ h, fake } = await startTelegramDesk('embedded', { mode: 'webhook', fake: { rates: false } }));
    await actions(h).customerWrites('491701240001', 'Fuzz topic', { name: 'Fuzz Topic' });
    const found = await fake.waitFor((f) => f.topics.find((t) => botLines(f, t.message_thread_id).some((l) => l.includes('Fuzz topic'))), 10_000);
    topic = found.message_thread_id;
    const header = await fake.waitFor((f) => f.topicMessages(topic).find((m) => m.reply_markup?.inline_keyboard?.flat().some((b) => b.callback_data?.startsWith('td:'))), 10_000);
    const start = fake.deliveries.length;
    await fake.userStartsBot(TELEGRAM_USERS.seat);
    await fake.userWritesInTopic(TELEGRAM_USERS.seat, topic, 'Thanks for waiting');
    await fake.userWritesInTopic(TELEGRAM_USERS.stranger, topic, '!claim');
    await fake.userWritesInGroup(TELEGRAM_USERS.seat, '/status online');
    const button = header.reply_markup!.inline_keyboard!.flat().find((x) => x.callback_data?.startsWith('td:'))!;
    await fake.userPressesButton(TELEGRAM_USERS.seat, header.message_id, button.text, { data: button.callback_data! });
    await fake.userWritesPrivately(TELEGRAM_USERS.customer, 'a customer writes in private');
    await fake.userWritesPrivately(TELEGRAM_USERS.seat, '/status away');
    bases = fake.deliveries.slice(start).map((d) => d.update as Record<string, unknown>);
    expect(bases.length).toBe(7);
    // Let the outbox deliver what the setup caused before effects are counted.
    for (let waited = 0; (await h.app.desk.outbox.pendingCount()) > 0 && waited < 30_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
  });
  afterAll(async () => {
    watch.stop();
    await h?.close();
  });

  it('refuses 400 requests without the right secret token with 401, and none of them has any effect', async () => {
    const before = fake.calls.length;
    const results = await sendAll(h.app.url, Array.from({ length: 400 }, (_, i) => forged(i)));
    expectAllRefused(results, [401]);
    await new Promise((r) => setTimeout(r, 1000));
    expect(fake.calls.slice(before).filter((c) => !READING.has(c.method)).map((c) => c.method)).toEqual([]);
  });

  it('answers 1,100 updates with the right token and mutated bodies, deep and near-limit ones included, without a single 5xx', async () => {
    const big = freshBase();
    const { under, over } = nearLimitBodies((pad) => JSON.stringify({ ...big, pad }));
    const concurrent = await sendAll(h.app.url, [
      ...Array.from({ length: 1000 }, (_, i) => signedMutation(i)),
      request(under, 'just under 1 MiB'),
      request(over, 'just over 1 MiB', { mayReset: true }),
    ]);
    // Mutations that may leave two updates with one update_id (in flight twice: 503 by design): one at a time.
    const sequential = await sendAll(h.app.url, Array.from({ length: 100 }, (_, i) => {
      const m = mutateJson(rng, freshBase());
      return request(JSON.stringify(m.value), `sequential#${i} ${m.how}`);
    }), { concurrency: 1 });
    const results: FuzzResult[] = [...concurrent, ...sequential];
    console.log(`[fuzz] POST /telegram/webhook: ${JSON.stringify(statusCounts(results))}`);
    expectNoServerErrors(results);
    for (const r of concurrent.filter((x) => x.req.label.includes(' deep '))) expect(r.status, r.req.label).toBe(400);
    expect(concurrent.at(-2)!.status, concurrent.at(-2)!.text.slice(0, 200)).toBeLessThan(500);
    expect([0, 413]).toContain(concurrent.at(-1)!.status);
  });

  it('still takes a seat\'s reply in the topic afterwards; logged no caught failure and raised no process fault', async () => {
    const before = effects();
    const written = await fake.userWritesInTopic(TELEGRAM_USERS.seat, topic, `after the fuzz ${seed}`);
    expect(written.status).toBe(200);
    await expect.poll(() => effects(), { timeout: 10_000 }).toBeGreaterThan(before);
    expect(failedRequestLines(h.logs)).toEqual([]);
    expect(watch.faults).toEqual([]);
  });
});
