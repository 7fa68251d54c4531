import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../support/actions.js';
import type { DeskHarness, StoreKind } from '../support/start-desk.js';
import { botLines, headerOf, startTelegramDesk } from '../support/drivers/telegram.js';
import type { TelegramFake } from '../fakes/telegram/index.js';

const CONVERSATIONS = 3;
const MESSAGES = 6;
/** Bot API methods that put a new message into the group (the fake's per-chat and per-group budgets). */
const GROUP_SENDS = ['createForumTopic', 'sendMessage', 'sendDocument', 'sendPhoto'];

/**
 * Rate limits (issue acceptance, the functional half; timing is in
 * bench/telegram-burst.ts): the fake enforces 1 message/s per chat and 20 per
 * minute per group with 429s. Customers writing at once into one supergroup
 * get everything mirrored with no 429, nothing lost and order kept, because
 * each topic's waiting messages are coalesced into one post. Small, because
 * at 20 messages a minute every group call costs 3 s of test time.
 */
describe.each<StoreKind>(['embedded', 'redis'])('a burst into one Telegram supergroup on the %s store', (store) => {
  let h: DeskHarness;
  let fake: TelegramFake;
  beforeAll(async () => { ({ h, fake } = await startTelegramDesk(store, { mode: 'polling' })); });
  afterAll(async () => { await h?.close(); });

  it(`mirrors ${CONVERSATIONS} × ${MESSAGES} customer messages with no 429, none lost, order kept, one topic and header each`, async () => {
    const act = actions(h);
    const sent = await Promise.all(Array.from({ length: CONVERSATIONS }, async (_, c) => {
      const texts = Array.from({ length: MESSAGES }, (_, i) => `tg burst c${c} m${i}`);
      for (const text of texts) expect((await act.customerWrites(`4917300000${c}`, text, { name: `Burst ${c}` })).status).toBe(200);
      return texts;
    }));
    const all = sent.flat();
    const visible = () => new Set(fake.topics.flatMap((t) => botLines(fake, t.message_thread_id)));
    await fake.waitFor(() => { const seen = visible(); return all.every((t) => seen.has(t)); }, 60_000);

    expect(fake.rateLimitedCount).toBe(0);
    expect(fake.topics).toHaveLength(CONVERSATIONS);
    for (const [c, texts] of sent.entries()) {
      const topic = fake.topics.find((t) => t.name === `Burst ${c} · WhatsApp`)!;
      expect(headerOf(fake, topic.message_thread_id)?.text).toContain(`Burst ${c}`);
      expect(botLines(fake, topic.message_thread_id).filter((l) => l.startsWith('tg burst')), 'each text once, in the order sent').toEqual(texts);
    }
    // A topic, a header and about one coalesced post per conversation, instead of 2 + 6 each.
    const groupSends = fake.calls.filter((call) => GROUP_SENDS.includes(call.method) && call.ok);
    expect(groupSends.length).toBeLessThanOrEqual(3 * CONVERSATIONS + 2);
  }, 90_000);
});
