import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { startSlackFake, type SlackFake } from '../../tests/fakes/slack/index.js';
import { REDIS_URL, type StoreKind } from '../../tests/support/start-desk.js';
import { freePort } from '../../tests/support/spawn-bot.js';
import { deleteRedisKeys } from '../support/delete-redis-keys.js';
import { distribution } from '../support/percentiles.js';
import { benchBotEnv } from '../throughput/bench-bot-env.js';
import { agentOf, agentsFor } from '../throughput/open-conversations.js';
import { rssMiB } from '../throughput/proc-stats.js';
import { sendAgentReply, type SentReply } from '../throughput/send-agent-reply.js';
import { spawnBenchBot } from '../throughput/spawn-bench-bot.js';
import { webchatLoad, type WebchatLoadParams } from './webchat-load.js';
import type { WidgetVisitor } from './widget-visitor.js';

export type WebchatParams = { store: StoreKind } & WebchatLoadParams;

const ORIGIN = 'https://shop.example.com';
/** The reply-path preload (no spacing on Slack posts and on tier 3, the ✓ and 👀 marks), plus a memory reading on SIGUSR2. */
const PRELOAD = new URL('./webchat-bot-preload.mjs', import.meta.url).href;
const SETUP_TIMEOUT_MS = 180_000;
const load1m = () => Math.round(loadavg()[0]! * 100) / 100;

async function waitUntil(what: string, done: () => boolean): Promise<void> {
  const deadline = Date.now() + SETUP_TIMEOUT_MS;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`setup: ${what} did not happen within ${SETUP_TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Resolves once the Slack fake has had no call for `quietMs`: what setup queued (headers, ✓ marks) is sent. */
async function slackQuiet(slack: SlackFake, quietMs = 1000): Promise<void> {
  let seen = -1;
  let since = Date.now();
  const deadline = Date.now() + SETUP_TIMEOUT_MS;
  while (Date.now() - since < quietMs && Date.now() < deadline) {
    if (slack.calls.length !== seen) { seen = slack.calls.length; since = Date.now(); }
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface BotMemory { rssMiB: number | null; heapUsedMiB: number; externalMiB: number }
const MiB = 1024 * 1024;

/** The bot's memory after a full GC (webchat-bot-preload.mjs answers SIGUSR2), RSS from /proc. */
async function botMemory(pid: number, file: string): Promise<BotMemory> {
  const asked = Date.now();
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 50));
    try {
      const m = JSON.parse(readFileSync(file, 'utf8')) as { at: number; heapUsed: number; external: number };
      if (m.at >= asked) return { rssMiB: rssMiB(pid), heapUsedMiB: m.heapUsed / MiB, externalMiB: m.external / MiB };
    } catch { /* not written yet */ }
  }
  throw new Error('the bot did not write its memory (webchat-bot-preload.mjs not loaded?)');
}

/**
 * Many widget sockets on one bot (issue 15), as `npm start` runs it: the bot
 * is its own process (compiled, `node dist/main.js`), the 1,000 visitors'
 * sockets and the Slack fake live in this one. Each visitor writes once
 * (a conversation and its Slack thread), each conversation is claimed by a
 * first agent reply (not measured), then agents' thread replies go to
 * `POST /slack/events` signed, as Slack sends them, open loop at the stated
 * rate while sockets are cut. Memory is the bot process's RSS (from /proc)
 * with every socket open minus before any, per socket; latency is reply event
 * sent → the visitor's socket has the line.
 */
export async function runWebchat(p: WebchatParams) {
  const agents = agentsFor(p.connections);
  const users = Object.fromEntries(agents.map((u, a) => [u, { name: `agent${a}`, real_name: `Bench Agent ${a}` }]));
  const slack = await startSlackFake({ postRate: false, tierRate: false, users });
  const dataDir = mkdtempSync(join(tmpdir(), 'threaddesk-webchat-'));
  const prefix = `td-bench-${randomBytes(4).toString('hex')}:`;
  const env: Record<string, string> = {
    ...benchBotEnv({ store: p.store, port: await freePort(), dataDir, prefix, slackUrl: slack.url, graphUrl: 'http://127.0.0.1:9', admins: agents }),
    WEBCHAT_ORIGINS: ORIGIN,
    BENCH_MEMORY_FILE: join(dataDir, 'bench-memory.json'),
  };
  // Web chat is the only customer channel here.
  for (const k of Object.keys(env)) if (k.startsWith('WHATSAPP_') || k === 'INBOUND_API_SECRET') delete env[k];
  const loadAverage1mBefore = load1m();
  const bot = await spawnBenchBot(env, { preload: PRELOAD });
  const memory: Record<string, BotMemory> = {};
  const readMemory = () => botMemory(bot.pid, env.BENCH_MEMORY_FILE!);
  const acks: SentReply[] = [];
  try {
    await new Promise((r) => setTimeout(r, 1000));
    memory.beforeSockets = await readMemory();
    const result = await webchatLoad({
      url: bot.url,
      origin: ORIGIN,
      async onSocketsOpen() {
        await new Promise((r) => setTimeout(r, 1000));
        memory.withSockets = await readMemory();
      },
      async prepare(visitors: readonly WidgetVisitor[], firstTexts: readonly string[]) {
        const wanted = new Map(firstTexts.map((t, i) => [t, i]));
        const threads: string[] = new Array(visitors.length);
        let found = 0;
        await waitUntil(`a Slack thread for each of ${visitors.length} visitors`, () => {
          for (const m of slack.messages) {
            const i = m.thread_ts && m.bot_id ? wanted.get(m.text) : undefined;
            if (i !== undefined && threads[i] === undefined) { threads[i] = m.thread_ts!; found++; }
          }
          return found === visitors.length;
        });
        const reply = async (i: number, text: string) => {
          const r = await sendAgentReply(bot.url, slack, { user: agentOf(i), thread: threads[i]!, text });
          acks.push(r);
          if (r.status !== 200) throw new Error(`the agent's reply event was answered ${r.status}`);
        };
        // The first reply claims each conversation (first replier claims): the measured ones are the steady state.
        for (let i = 0; i < visitors.length; i += 10) await Promise.all(visitors.slice(i, i + 10).map((_, j) => reply(i + j, `claim ${i + j}: hello, I am on it`)));
        await waitUntil('every claiming reply in its visitor\'s socket', () => visitors.every((v) => v.agentTexts.length >= 1));
        await slackQuiet(slack);
        memory.withConversations = await readMemory();
        acks.length = 0;
        return reply;
      },
    }, p);
    const loadAverage1mAfter = load1m();
    const perSocketKiB = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null ? null : Math.round(((a - b) * 1024 / p.connections) * 10) / 10);
    const js = (m: BotMemory | undefined) => (m ? m.heapUsedMiB + m.externalMiB : undefined);
    return {
      ...result,
      replyEventAckMs: distribution(acks.map((a) => a.answeredAt - a.sentAt)),
      repliesNot200: acks.filter((a) => a.status !== 200).length,
      botMemoryMiB: memory,
      memoryPerConnection: {
        /** Bot process RSS (after a full GC) with every socket open (identified, nobody wrote) minus before, per socket. */
        rssKiB: perSocketKiB(memory.withSockets?.rssMiB, memory.beforeSockets?.rssMiB),
        /** The same for the JavaScript heap in use plus external buffers: the steadier figure. */
        heapKiB: perSocketKiB(js(memory.withSockets), js(memory.beforeSockets)),
        /** RSS once every visitor has a conversation, a thread and a claimed reply (store and caches included). */
        rssKiBWithConversation: perSocketKiB(memory.withConversations?.rssMiB, memory.beforeSockets?.rssMiB),
      },
      loadAverage1mBefore,
      loadAverage1mAfter,
      botProcess: 'npm run build, then node --import bench/webchat/webchat-bot-preload.mjs dist/main.js (BENCH_BOT_NODE_ARGS adds flags), LOG_LEVEL=info',
      logs: bot.logs,
    };
  } finally {
    await bot.stop();
    await slack.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (p.store === 'redis') await deleteRedisKeys(REDIS_URL, prefix).catch(() => 0);
  }
}
