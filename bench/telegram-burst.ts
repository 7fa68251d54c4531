import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REDIS_URL, type StoreKind } from '../tests/support/start-desk.js';
import { botLines, headerOf, startTelegramDesk } from '../tests/support/drivers/telegram.js';
import { deleteRedisKeys, redisAnswers } from './support/delete-redis-keys.js';
import { machineFacts } from './support/machine-facts.js';
import { distribution } from './support/percentiles.js';
import { sendBurst } from './support/send-customer-message.js';

/**
 * Telegram burst: N customers write M messages each "at once" (each
 * customer's messages one after the other, the N customers in parallel) on
 * WhatsApp; every conversation is mirrored into one forum topic of the one
 * agents' supergroup. The fake Bot API enforces 1 message/s per chat and 20
 * messages/min per group (topics share the group) with 429s. Measures how long
 * until every text is visible in its topic, against the floor that budget
 * allows, and what it cost (calls, 429s, losses, order).
 *
 * Standalone: `node --import tsx bench/telegram-burst.ts` (stores from
 * BENCH_TELEGRAM_STORES, default "embedded,redis"; sizes from
 * BENCH_TELEGRAM_CONVERSATIONS / BENCH_TELEGRAM_MESSAGES, default 30 × 10).
 * Prints a summary and writes bench/results/telegram-burst.json.
 */
const GROUP_SENDS = ['createForumTopic', 'sendMessage', 'sendDocument', 'sendPhoto'];
/** Telegram: at most 20 messages a minute into one group. */
const GROUP_INTERVAL_MS = 60_000 / 20;

interface BurstParams { store: StoreKind; conversations: number; messagesPerConversation: number }

async function runTelegramBurst(p: BurstParams) {
  const { h, fake } = await startTelegramDesk(p.store, { mode: 'polling' });
  try {
    const pad = (n: number) => String(n).padStart(3, '0');
    const expected = Array.from({ length: p.conversations }, (_, c) => ({
      name: `Burst Customer ${pad(c)}`,
      from: `49155600${pad(c)}`,
      texts: Array.from({ length: p.messagesPerConversation }, (_, m) => `tg burst c${pad(c)} m${pad(m)}: where is my parcel?`),
    }));
    const topicOf = (name: string) => fake.topics.find((t) => !t.deleted && t.name === `${name} · WhatsApp`);
    const lost = () => expected.reduce((n, c) => {
      const topic = topicOf(c.name);
      const seen = new Set(topic ? botLines(fake, topic.message_thread_id) : []);
      return n + c.texts.filter((t) => !seen.has(t)).length;
    }, 0);

    // The floor: every conversation needs its topic, its header card and at least one post,
    // 3N messages into one group; the first goes at once, then one per 3 s.
    const floorMs = (3 * p.conversations - 1) * GROUP_INTERVAL_MS;
    // Without coalescing: topic, header and one post per message.
    const oneByOneFloorMs = ((2 + p.messagesPerConversation) * p.conversations - 1) * GROUP_INTERVAL_MS;
    const timeoutMs = 2 * floorMs + 60_000;

    const start = Date.now();
    const drained = fake.waitFor(() => lost() === 0, timeoutMs).then(() => Date.now(), () => undefined);
    const { answers, ingestedAt } = await sendBurst(h.app.url, expected);
    const drainedAt = await drained;
    const drainMs = drainedAt === undefined ? null : drainedAt - start;

    let orderViolations = 0;
    let duplicates = 0;
    let misplaced = 0;
    const postsPerConversation: number[] = [];
    for (const c of expected) {
      const topic = topicOf(c.name);
      const index = new Map(c.texts.map((t, i) => [t, i]));
      const lines = topic ? botLines(fake, topic.message_thread_id) : [];
      const seq = lines.filter((l) => index.has(l)).map((l) => index.get(l)!);
      for (let i = 1; i < seq.length; i++) if (seq[i]! < seq[i - 1]!) orderViolations += 1;
      duplicates += seq.length - new Set(seq).size;
      postsPerConversation.push(topic ? fake.topicMessages(topic.message_thread_id).filter((m) => m !== headerOf(fake, topic.message_thread_id) && (m.text ?? '').split('\n').some((l) => index.has(l))).length : 0);
      for (const other of fake.topics) {
        if (other === topic) continue;
        misplaced += botLines(fake, other.message_thread_id).filter((l) => index.has(l)).length;
      }
    }
    const groupCalls = fake.calls.filter((c) => GROUP_SENDS.includes(c.method));
    const accepted = groupCalls.filter((c) => c.ok);
    const gaps = accepted.slice(1).map((c, i) => c.time - accepted[i]!.time);
    const problems = h.logs.filter((l) => /"level":(40|50|60)/.test(l));
    return {
      params: { ...p, groupBudgetPerMinute: 20, chatBudgetPerSecond: 1 },
      webhooks: answers.length,
      webhooksNot200: answers.filter((a) => a.status !== 200).length,
      ingestMs: ingestedAt - start,
      drained: drainMs !== null,
      drainMs,
      drainTimeoutMs: timeoutMs,
      floorMs,
      ratioToFloor: drainMs === null ? null : Math.round((drainMs / floorMs) * 1000) / 1000,
      oneByOneFloorMs,
      groupSendCalls: groupCalls.length,
      groupSendsAccepted: accepted.length,
      topicsCreated: fake.callsTo('createForumTopic').filter((c) => c.ok).length,
      headerEdits: fake.callsTo('editMessageText').filter((c) => c.ok).length,
      rateLimited429: fake.rateLimitedCount,
      messagesExpected: p.conversations * p.messagesPerConversation,
      messagesLost: lost(),
      duplicates,
      misplaced,
      orderViolations,
      postsPerConversation: distribution(postsPerConversation),
      groupSendSpacingMs: distribution(gaps),
      logWarnings: problems.length,
      firstLogProblems: problems.slice(0, 5).map((l) => l.trim().slice(0, 500)),
    };
  } finally {
    await h.close();
    if (p.store === 'redis') await deleteRedisKeys(REDIS_URL, h.prefix);
  }
}

const stores = (process.env.BENCH_TELEGRAM_STORES ?? 'embedded,redis').split(',').map((s) => s.trim()).filter(Boolean) as StoreKind[];
const conversations = Number(process.env.BENCH_TELEGRAM_CONVERSATIONS ?? 30);
const messagesPerConversation = Number(process.env.BENCH_TELEGRAM_MESSAGES ?? 10);
const hasRedis = await redisAnswers(REDIS_URL);
const machine = machineFacts();
const started = Date.now();
const cases = [];
console.log(`== telegram-burst: ${conversations} customers × ${messagesPerConversation} messages into one supergroup (20 messages/min)`);
for (const store of stores) {
  const label = `${conversations} × ${messagesPerConversation}, ${store}`;
  if (store === 'redis' && !hasRedis) { cases.push({ label, params: { store }, skipped: `no Redis at ${REDIS_URL}` }); console.log(`   ${label}: skipped (no Redis)`); continue; }
  process.stdout.write(`   ${label} … `);
  try {
    const result = await runTelegramBurst({ store, conversations, messagesPerConversation });
    cases.push({ label, params: result.params, result });
    const s = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);
    console.log(`drain ${s(result.drainMs)} vs floor ${s(result.floorMs)} (×${result.ratioToFloor ?? '—'}; one by one ${s(result.oneByOneFloorMs)}), `
      + `${result.groupSendsAccepted} group sends, 429s ${result.rateLimited429}, lost ${result.messagesLost}, order violations ${result.orderViolations}, duplicates ${result.duplicates}`);
  } catch (err) {
    cases.push({ label, params: { store }, error: err instanceof Error ? err.message : String(err) });
    console.log(`FAILED: ${String(err)}`);
  }
}
const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'results', 'telegram-burst.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ machine: { ...machine, loadAverage1mAfter: machineFacts().loadAverage1m }, durationSeconds: Math.round((Date.now() - started) / 1000), cases }, null, 2)}\n`);
console.log(`Written: ${out}`);
process.exit(0);
