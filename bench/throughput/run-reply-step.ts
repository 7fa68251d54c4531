import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { SlackFake } from '../../tests/fakes/slack/index.js';
import type { GraphFake } from '../../tests/fakes/whatsapp/start-graph-fake.js';
import { REDIS_URL, type StoreKind } from '../../tests/support/start-desk.js';
import { freePort } from '../../tests/support/spawn-bot.js';
import { deleteRedisKeys } from '../support/delete-redis-keys.js';
import { steadyRate, type PlannedMessage } from '../latency/schedules.js';
import { benchBotEnv } from './bench-bot-env.js';
import { GraphSendMatcher } from './match-graph-sends.js';
import { runOpenLoop } from './open-loop.js';
import { agentOf, agentsFor, openConversations, waitForQuiet } from './open-conversations.js';
import { cpuTicks, sampleRss } from './proc-stats.js';
import { replyFigures } from './reply-figures.js';
import { sendAgentReply } from './send-agent-reply.js';
import { spawnBenchBot } from './spawn-bench-bot.js';
import { StatusStorm } from './status-storm.js';

export interface ReplyStepParams {
  store: StoreKind;
  ratePerSecond: number;
  seconds: number;
  conversations: number;
  /** Answer every reply the Graph fake accepted with its three status webhooks. */
  statuses: boolean;
  clockTicksPerSecond: number;
}

const PRELOAD = new URL('./lift-reply-budgets-preload.mjs', import.meta.url).href;
/** As in run-step.ts: answers may take 30 s after the last send, replies 15 s to reach the Graph fake. */
const ANSWER_TIMEOUT_MS = 30_000;
const ARRIVAL_TIMEOUT_MS = 15_000;
/** After /healthz: the start-up tail. */
const SETTLE_MS = 1000;
/** The bot's CPU is sampled this long before the first reply, with nothing to do (what a step's per-reply CPU includes regardless). */
const IDLE_WINDOW_MS = 1000;
const load1m = () => Math.round(loadavg()[0]! * 100) / 100;
const pad = (n: number) => String(n).padStart(4, '0');

/**
 * One reverse-path step: a fresh bot process on a fresh store with one admin
 * seat per 20 conversations; the conversations are opened and claimed first
 * (not measured), then agents' thread replies go to `/slack/events` open loop
 * at the step's rate, round robin over the conversations, each with a unique
 * text, and the Graph fake's arrivals are matched to them. With `statuses`,
 * each accepted send is answered with its sent/delivered/read webhooks while
 * the replies go on. CPU and RSS of the bot from /proc, as in run-step.ts.
 */
export async function runReplyStep(p: ReplyStepParams, slack: SlackFake, graph: GraphFake) {
  slack.reset();
  graph.reset();
  const dataDir = mkdtempSync(join(tmpdir(), 'threaddesk-replies-'));
  const prefix = `td-bench-${randomBytes(4).toString('hex')}:`;
  const env = benchBotEnv({ store: p.store, port: await freePort(), dataDir, prefix, slackUrl: slack.url, graphUrl: graph.url, admins: agentsFor(p.conversations) });
  const bot = await spawnBenchBot(env, { preload: PRELOAD });
  graph.webhookUrl = `${bot.url}/webhooks/whatsapp`;
  try {
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const customer = (c: number) => ({ from: `4917760${pad(c)}`, name: `Reply Customer ${pad(c)}` });
    const setupStarted = Date.now();
    const threads = await openConversations(bot.url, slack, graph, p.conversations, customer);
    await waitForQuiet(slack, graph);
    const setupMs = Date.now() - setupStarted;
    const idleTicks = cpuTicks(bot.pid);
    await new Promise((r) => setTimeout(r, IDLE_WINDOW_MS));
    const botIdleCpuPercentOfOneCore = Math.round(((cpuTicks(bot.pid) - idleTicks) * 1000 / p.clockTicksPerSecond / IDLE_WINDOW_MS) * 1000) / 10;

    const tag = `rp ${p.ratePerSecond}/s `;
    const textOf = (m: PlannedMessage) => `${tag}c${pad(m.conversation)} s${pad(m.seq)}: your order left the warehouse today`;
    const matcher = new GraphSendMatcher((t) => t.startsWith(tag));
    const storm = p.statuses ? new StatusStorm(`${bot.url}/webhooks/whatsapp`) : null;
    const scan = () => { for (const s of matcher.scan(graph.sent)) storm?.answer(s); };
    // Polled often so a status webhook follows its send within a few ms, as the storm would on a busy number.
    const poll = setInterval(scan, 5);
    const plan = steadyRate(p.ratePerSecond, p.seconds, p.conversations);

    const loadAverage1mBefore = load1m();
    const rss = sampleRss(bot.pid);
    const ticksBefore = cpuTicks(bot.pid);
    const ownBefore = process.cpuUsage();
    const start = Date.now();
    const sent = await runOpenLoop(plan,
      (m) => sendAgentReply(bot.url, slack, { user: agentOf(m.conversation), thread: threads[m.conversation]!, text: textOf(m) }),
      (m, _i, sentAt, answeredAt) => ({ text: textOf(m), sentAt, answeredAt, status: 0 }),
      ANSWER_TIMEOUT_MS);
    const deadline = Math.max(...sent.map((s) => s.sentAt)) + ARRIVAL_TIMEOUT_MS;
    while (!sent.every((s) => matcher.textAt.has(s.text)) && Date.now() <= deadline) await new Promise((r) => setTimeout(r, 20));
    clearInterval(poll);
    scan();
    await storm?.settle();
    const ticks = cpuTicks(bot.pid) - ticksBefore;
    const own = process.cpuUsage(ownBefore);
    const wallMs = Date.now() - start;
    const memory = rss.stop();
    const loadAverage1mAfter = load1m();
    const figures = replyFigures(sent, matcher, storm?.sent ?? null,
      { ms: (ticks * 1000) / p.clockTicksPerSecond, wallMs },
      { ms: (own.user + own.system) / 1000, wallMs });
    return {
      offeredRatePerSecond: p.ratePerSecond,
      ...figures,
      setupMs,
      botIdleCpuPercentOfOneCore,
      botRssMiB: { peak: memory.peakMiB, atEnd: memory.lastMiB, samples: memory.samples },
      loadAverage1mBefore,
      loadAverage1mAfter,
      botLog: { warnings: bot.logs.warnings, errors: bot.logs.errors, firstProblems: bot.logs.firstProblems },
    };
  } finally {
    await bot.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (p.store === 'redis') await deleteRedisKeys(REDIS_URL, prefix);
  }
}
