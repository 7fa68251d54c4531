import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startSlackFake, messageEvent, postToBot, slashCommand, type SlackFake } from '../fakes/slack/index.js';
import { startGraphFake, type GraphFake } from '../fakes/whatsapp/start-graph-fake.js';
import { postWebhook, textMessageWebhook, newWamid } from '../fakes/whatsapp/webhooks.js';
import { REDIS_URL, SECRETS } from './start-desk.js';
import { testRedisPrefix } from './redis-test-keys.js';
import { freePort, spawnBot, type SpawnedBot } from './spawn-bot.js';

/**
 * Repeated `kill -9` under load (issue 9): customers write 500 WhatsApp
 * messages over 50 conversations while the bot is killed three times and
 * restarted on the same store; then an agent sends 100 replies in the Slack
 * threads while the bot is killed once more. The platforms behave as they do:
 * Meta and Slack redeliver a request that got no 200 (same wamid, same
 * event_id) until it is accepted. Counts what was lost, shown twice or
 * reordered in each direction, and how long after a restart a redelivery of a
 * request that was in flight at the kill was accepted.
 */

export interface DirectionCounts {
  expected: number;
  lost: number;
  duplicated: number;
  /** Conversations whose texts did not appear in the order they were sent. */
  reordered: number;
}

export interface SigkillReport {
  store: 'embedded' | 'redis';
  kills: number;
  customerToThread: DirectionCounts;
  agentToCustomer: DirectionCounts;
  /** Per restart: ms from the new process answering /healthz to its accepting the oldest redelivery that was in flight at the kill. */
  redeliveryAcceptedAfterRestartMs: number[];
  /** Per kill: what was on the wire, and the answers its redeliveries got after the restart (for a failure's story). */
  killsDetail: { phase: string; inFlight: number; answers: Record<string, number[]> }[];
  /** Requests that were on the wire when a kill came (their fate unknown to the sender). */
  inFlightAtKills: number;
  /** Headers posted per conversation (1 each when nothing was repeated). */
  headersPerConversation: { min: number; max: number };
  /** The bot's own measure of the duplicate window: ms between a platform's answer and the outbox's record of it. */
  recordWindowMs: { max: number; mean: number; samples: number };
  durationMs: number;
}

const CONVERSATIONS = 50;
const PER_CONVERSATION = 10;
const REPLIES_PER_CONVERSATION = 2;
const SENDERS = 10;
const AGENT = 'U0AGENT';

const customerOf = (c: number) => `4917055${String(c).padStart(5, '0')}`;
const textOf = (c: number, i: number) => `c${String(c).padStart(2, '0')} m${i}`;
const replyOf = (c: number, r: number) => `reply c${String(c).padStart(2, '0')} r${r}`;

/** Runs the scenario against a fresh Slack fake, Graph fake and store; always cleans up. */
export async function runSigkillScenario(store: 'embedded' | 'redis'): Promise<SigkillReport> {
  const started = Date.now();
  const slack: SlackFake = await startSlackFake();
  const graph: GraphFake = await startGraphFake({ accessToken: SECRETS.waToken, phoneNumberId: SECRETS.phoneNumberId, appSecret: SECRETS.waAppSecret });
  const dataDir = mkdtempSync(join(tmpdir(), 'threaddesk-sigkill-'));
  const prefix = testRedisPrefix('sigkill');
  const env = (port: number): Record<string, string> => ({
    PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'error',
    ...(store === 'redis' ? { REDIS_URL: REDIS_URL, REDIS_PREFIX: prefix } : {}),
    SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRETS.slackSigning, SLACK_CHANNEL: 'C0SUPPORT', SLACK_API_URL: slack.url,
    WHATSAPP_ACCESS_TOKEN: SECRETS.waToken, WHATSAPP_APP_SECRET: SECRETS.waAppSecret, WHATSAPP_VERIFY_TOKEN: SECRETS.waVerify,
    WHATSAPP_PHONE_NUMBER_ID: SECRETS.phoneNumberId, WHATSAPP_API_URL: graph.url, BOOTSTRAP_ADMINS: `slack:${AGENT}`,
  });
  let bot: SpawnedBot = await spawnBot(env(await freePort()));
  let kills = 0;
  const inFlight = new Set<string>();
  let inFlightAtKills = 0;
  /** The kill being recovered from: what was on the wire at it, and when the next process came up. */
  let current: { pending: Set<string>; restartedAt: number | undefined; acceptedAfterMs: number | undefined; answers: Record<string, number[]> } | undefined;
  const killsDetail: SigkillReport['killsDetail'] = [];
  const acceptedAfterRestart: number[] = [];
  let phase = 'customers';
  let restart: Promise<void> | undefined;

  const killAndRestart = async () => {
    kills += 1;
    current = { pending: new Set(inFlight), restartedAt: undefined, acceptedAfterMs: undefined, answers: {} };
    inFlightAtKills += current.pending.size;
    killsDetail.push({ phase, inFlight: current.pending.size, answers: current.answers });
    bot.child.kill('SIGKILL');
    await bot.exited;
    bot = await spawnBot(env(await freePort()));
    current.restartedAt = Date.now();
  };
  /** A request that was on the wire at the kill got its answer. */
  const noteAnswer = (key: string, status: number) => {
    const k = current;
    if (!k?.pending.has(key)) return;
    (k.answers[key] ??= []).push(status);
    if (status < 200 || status >= 300) return;
    k.pending.delete(key);
    // Answered by the dying process (before the restart) is no redelivery; the first one after it tells how soon the new process took work over.
    if (k.restartedAt !== undefined && k.acceptedAfterMs === undefined) {
      k.acceptedAfterMs = Date.now() - k.restartedAt;
      acceptedAfterRestart.push(k.acceptedAfterMs);
    }
  };

  /** Sends one request as a platform does: until the bot answers 200 (2xx), redelivering the same payload. */
  const deliver = async (key: string, send: (url: string, attempt: number) => Promise<number>) => {
    for (let attempt = 0; ; attempt++) {
      if (restart) await restart;
      inFlight.add(key);
      let status = 0;
      try { status = await send(bot.url, attempt); } catch { status = 0; }
      inFlight.delete(key);
      noteAnswer(key, status);
      if (status >= 200 && status < 300) return;
      if (attempt > 400) throw new Error(`${key}: never accepted (last status ${status})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const runSenders = async <T>(work: T[][], each: (item: T) => Promise<void>, onAccepted: (n: number) => void) => {
    let accepted = 0;
    let next = 0;
    await Promise.all(Array.from({ length: SENDERS }, async () => {
      for (;;) {
        const chain = work[next++];
        if (!chain) return;
        // One conversation's requests in order: the next only after the previous was accepted.
        for (const item of chain) {
          await each(item);
          onAccepted(++accepted);
        }
      }
    }));
  };

  try {
    // Phase 1: 500 customer messages, two kills during intake, one while the outbox drains.
    const biz = { phoneNumberId: SECRETS.phoneNumberId };
    for (let c = 0; c < CONVERSATIONS; c++) graph.windowOpen(customerOf(c));
    const chains = Array.from({ length: CONVERSATIONS }, (_, c) => Array.from({ length: PER_CONVERSATION }, (_, i) => ({ c, i, wamid: newWamid() })));
    const total = CONVERSATIONS * PER_CONVERSATION;
    await runSenders(chains, async ({ c, i, wamid }) => {
      const body = textMessageWebhook(biz, { from: customerOf(c), body: textOf(c, i), id: wamid, name: `Customer ${c}` });
      await deliver(`wa:${wamid}`, async (url) => (await postWebhook(url, SECRETS.waAppSecret, body)).status);
    }, (n) => {
      if ((n === Math.floor(total * 0.3) || n === Math.floor(total * 0.7)) && !restart) {
        restart = killAndRestart().finally(() => { restart = undefined; });
      }
    });
    if (restart) await restart;
    const postsSoFar = slack.callsTo('chat.postMessage').length;
    await slack.waitFor((s) => s.callsTo('chat.postMessage').length >= postsSoFar + 5, 60_000);
    phase = 'draining';
    await killAndRestart();

    const threadLines = () => {
      const lines = new Map<number, string[]>();
      const ordered = slack.messages.filter((m) => m.thread_ts && m.bot_id).sort((a, b) => Number(a.ts) - Number(b.ts));
      for (const m of ordered) {
        for (const line of m.text.split('\n')) {
          const match = /^c(\d\d) m(\d+)$/.exec(line);
          if (match) lines.set(Number(match[1]), [...(lines.get(Number(match[1])) ?? []), line]);
        }
      }
      return lines;
    };
    const allShown = () => {
      const lines = threadLines();
      return chains.every((chain, c) => chain.every(({ i }) => lines.get(c)?.includes(textOf(c, i))));
    };
    await slack.waitFor(() => allShown(), 240_000).catch(() => undefined);
    const customerToThread = count(threadLines(), CONVERSATIONS, PER_CONVERSATION, textOf);

    // Phase 2: 100 agent replies in the threads, one kill while they are in flight. The one agent
    // answers every conversation: first room for them all (a seat's max holds on every claim).
    const raised = await postToBot(`${bot.url}/slack/events`, SECRETS.slackSigning, slashCommand({ command: '/seat', text: `add <@${AGENT}> admin max=100`, user_id: AGENT, channel_id: 'C0SUPPORT' }));
    // A quick command answers in its acknowledgement, once the seat is saved.
    if (raised.status !== 200 || !raised.text.includes('up to 100 chats')) throw new Error(`raising the agent's max failed: ${raised.status} ${raised.text}`);
    phase = 'replies';
    const threadOf = new Map<number, string>();
    for (const m of slack.messages) {
      const match = m.thread_ts && m.bot_id ? /^c(\d\d) m0$/m.exec(m.text) : null;
      if (match && !threadOf.has(Number(match[1]))) threadOf.set(Number(match[1]), m.thread_ts!);
    }
    const replies = Array.from({ length: CONVERSATIONS }, (_, c) => Array.from({ length: REPLIES_PER_CONVERSATION }, (_, r) => ({ c, r })));
    const replyTotal = CONVERSATIONS * REPLIES_PER_CONVERSATION;
    await runSenders(replies, async ({ c, r }) => {
      const threadTs = threadOf.get(c);
      if (!threadTs) return;
      const text = replyOf(c, r);
      const ts = slack.addUserMessage({ channel: 'C0SUPPORT', user: AGENT, text, thread_ts: threadTs }).ts;
      const req = messageEvent({ channel: 'C0SUPPORT', user: AGENT, text, thread_ts: threadTs, ts, event_id: `Ev${randomBytes(6).toString('hex')}` });
      await deliver(`slack:${text}`, async (url, attempt) => (await postToBot(`${url}/slack/events`, SECRETS.slackSigning, req, attempt ? { retryNum: Math.min(attempt, 3), retryReason: 'http_error' } : {})).status);
    }, (n) => {
      if (n === Math.floor(replyTotal / 2) && !restart) restart = killAndRestart().finally(() => { restart = undefined; });
    });
    if (restart) await restart;
    const repliesByCustomer = () => {
      const lines = new Map<number, string[]>();
      for (const s of graph.sent) {
        const match = /^reply c(\d\d) r\d+$/.exec(s.text ?? '');
        if (match) lines.set(Number(match[1]), [...(lines.get(Number(match[1])) ?? []), s.text!]);
      }
      return lines;
    };
    await slack.waitFor(() => {
      const got = repliesByCustomer();
      return replies.every((chain, c) => chain.every(({ r }) => got.get(c)?.includes(replyOf(c, r))));
    }, 60_000).catch(() => undefined);
    const agentToCustomer = count(repliesByCustomer(), CONVERSATIONS, REPLIES_PER_CONVERSATION, replyOf);

    const headers = new Map<number, number>();
    for (const m of slack.messages.filter((x) => !x.thread_ts && x.channel === 'C0SUPPORT' && x.bot_id)) {
      const match = /Customer (\d+)/.exec(JSON.stringify(m.blocks ?? m.text));
      if (match) headers.set(Number(match[1]), (headers.get(Number(match[1])) ?? 0) + 1);
    }
    const headerCounts = Array.from({ length: CONVERSATIONS }, (_, c) => headers.get(c) ?? 0);
    const recordWindowMs = await readRecordWindow(bot.url);
    return {
      store, kills, customerToThread, agentToCustomer,
      redeliveryAcceptedAfterRestartMs: acceptedAfterRestart,
      inFlightAtKills,
      killsDetail,
      headersPerConversation: { min: Math.min(...headerCounts), max: Math.max(...headerCounts) },
      recordWindowMs,
      durationMs: Date.now() - started,
    };
  } finally {
    bot.child.kill('SIGKILL');
    await bot.exited;
    await Promise.all([slack.close(), graph.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Lost, duplicated and reordered texts, per conversation, against what was sent. */
function count(seen: Map<number, string[]>, conversations: number, per: number, textFor: (c: number, i: number) => string): DirectionCounts {
  const counts: DirectionCounts = { expected: conversations * per, lost: 0, duplicated: 0, reordered: 0 };
  for (let c = 0; c < conversations; c++) {
    const lines = seen.get(c) ?? [];
    const firsts: number[] = [];
    for (let i = 0; i < per; i++) {
      const n = lines.filter((l) => l === textFor(c, i)).length;
      if (n === 0) counts.lost += 1;
      if (n > 1) counts.duplicated += n - 1;
    }
    for (const l of lines) {
      const i = Array.from({ length: per }, (_, k) => k).find((k) => textFor(c, k) === l);
      if (i !== undefined && !firsts.includes(i)) firsts.push(i);
    }
    if (firsts.some((v, k) => k > 0 && v < firsts[k - 1]!)) counts.reordered += 1;
  }
  return counts;
}

/** The bot's gauges of the window between a platform's answer and the outbox's record (see outbox-worker.ts). */
async function readRecordWindow(url: string): Promise<SigkillReport['recordWindowMs']> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  const sum = read('outbox_record_window_ms_sum');
  const samples = read('outbox_record_window_ms_count');
  return { max: read('outbox_record_window_ms_max'), mean: samples ? sum / samples : Number.NaN, samples };
}
