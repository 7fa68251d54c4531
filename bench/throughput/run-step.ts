import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { SlackFake } from '../../tests/fakes/slack/index.js';
import type { GraphFake } from '../../tests/fakes/whatsapp/start-graph-fake.js';
import { REDIS_URL, type StoreKind } from '../../tests/support/start-desk.js';
import { freePort } from '../../tests/support/spawn-bot.js';
import { deleteRedisKeys } from '../support/delete-redis-keys.js';
import { PostMatcher } from '../latency/match-posts.js';
import { steadyRate, type PlannedMessage } from '../latency/schedules.js';
import { spawnBenchBot, type BenchBot } from './spawn-bench-bot.js';
import { limitCpu, type CpuLimit } from './cpu-limit.js';
import { benchBotEnv } from './bench-bot-env.js';
import { cpuTicks, machineTicks, redisServerPid, sampleRss } from './proc-stats.js';
import { sendOpenLoop } from './send-open-loop.js';
import { stepFigures } from './step-figures.js';
import { sendCustomerMessage } from '../support/send-customer-message.js';
import { IN_FLIGHT, inFlight, waitForQuiet, waitUntil } from './open-conversations.js';
import { distribution } from '../support/percentiles.js';

export interface StepParams {
  store: StoreKind;
  ratePerSecond: number;
  seconds: number;
  conversations: number;
  /** Run the bot with the shipped 1 s post spacing (a check that the preload is what lifts it). */
  keepSpacing: boolean;
  clockTicksPerSecond: number;
  /** Bot processes on one Redis (same REDIS_URL and REDIS_PREFIX, own PORT); webhooks alternate between them. Default 1. */
  replicas?: number;
  /**
   * Open every conversation before the measured window (one message each, 10 at a time, not
   * measured but reported as `openings`): the step then offers follow-ups only, the steady state.
   * Without it the step's first `conversations` messages open them (a burst of header cards).
   */
  openFirst?: boolean;
  /**
   * With `openFirst`: this many seconds of follow-ups at the step's rate after the openings,
   * not measured (reported as `warmUp`), so the window measures a process whose follow-up path
   * is compiled and warm, as a bot that has been running is. Default 0.
   */
  warmUpSeconds?: number;
  /**
   * Without `openFirst`: before the window, a warm-up on other customers (`conversations` of them
   * open their conversations, then write for `warmUpSeconds` at the step's rate; none measured,
   * reported as `openings` and `warmUp`). The window's own conversations still open in the step,
   * but in a process whose opening path has run before, as a desk that has been running.
   */
  warmOthersFirst?: boolean;
  /**
   * Cap each bot process at this many cores once it has started (cpu-limit.ts: a cgroup of its
   * own, as a container's CPU limit), so that replicas have a CPU budget each on a machine whose
   * cores they share with the load and Redis. Default: no limit.
   */
  cpuLimitCores?: number;
}

/** After the last send: how long answers may take before they count as not 200, and mirrors before they count as lost. */
const ANSWER_TIMEOUT_MS = 30_000;
const MIRROR_TIMEOUT_MS = 15_000;
/** The bot's start-up work runs on for a few hundred ms after /healthz first answers (measured: ~140 ms CPU in the first 500 ms, then ~0); it is no per-message cost. */
const SETTLE_MS = 1000;
const NAME = /Throughput Customer \d{4}/;
const load1m = () => Math.round(loadavg()[0]! * 100) / 100;

/**
 * One step: a fresh bot process on a fresh store (DATA_DIR, or REDIS_PREFIX
 * deleted afterwards), fed open loop at one rate from this process, measured
 * from here (latencies, the fake Slack's arrivals) and from /proc (the bot's
 * CPU and RSS). The fakes outlive the step; the fake Slack is reset first.
 * With `replicas` > 1 (Redis only) that many bots share the prefix, the
 * webhooks alternate between them, and CPU is the sum over them.
 */
export async function runStep(p: StepParams, slack: SlackFake, graph: GraphFake) {
  const replicas = p.replicas ?? 1;
  if (replicas > 1 && p.store !== 'redis') throw new Error('replicas > 1 need the Redis store: an embedded data directory has one owner');
  slack.reset();
  const dataDirs = Array.from({ length: replicas }, () => mkdtempSync(join(tmpdir(), 'threaddesk-throughput-')));
  const runId = randomBytes(4).toString('hex');
  const prefix = `td-bench-${runId}:`;
  const bots: BenchBot[] = [];
  const limits: CpuLimit[] = [];
  try {
    for (const dataDir of dataDirs) {
      const env = benchBotEnv({ store: p.store, port: await freePort(), dataDir, prefix, slackUrl: slack.url, graphUrl: graph.url });
      const bot = await spawnBenchBot(env, { keepSpacing: p.keepSpacing });
      bots.push(bot);
      if (p.cpuLimitCores !== undefined) limits.push(limitCpu(bot.pid, p.cpuLimitCores, `threaddesk-bench-${runId}-${bots.length}`));
    }
    graph.webhookUrl = `${bots[0]!.url}/webhooks/whatsapp`;
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const pad = (n: number) => String(n).padStart(4, '0');
    const names = Array.from({ length: p.conversations }, (_, c) => `Throughput Customer ${pad(c)}`);
    const customer = (c: number) => ({ from: `4915560${pad(c)}`, name: names[c]! });
    const textOf = (m: PlannedMessage) => `tp ${p.ratePerSecond}/s c${pad(m.conversation)} s${pad(m.seq)}: is my order on its way?`;
    const matcher = new PostMatcher(new Set(names), (json) => NAME.exec(json)?.[0]);
    const plan = steadyRate(p.ratePerSecond, p.seconds, p.conversations);
    // Other customers for `warmOthersFirst`: numbers and names the window's never use.
    const other = (c: number) => ({ from: `4915561${pad(c)}`, name: `Warm-up Customer ${pad(c)}` });
    const warmOn = p.openFirst ? customer : p.warmOthersFirst ? other : undefined;
    const openings = warmOn ? await openBeforeWindow(bots, slack, graph, p.conversations, warmOn) : undefined;
    const warmUp = warmOn && p.warmUpSeconds ? await warmUpBeforeWindow(bots, slack, graph, p, warmOn) : undefined;
    // Only the measured window's calls count in its figures.
    const callsBefore = slack.calls.length;

    const loadAverage1mBefore = load1m();
    const rss = bots.map((b) => sampleRss(b.pid));
    const ticksOfBots = () => bots.reduce((sum, b) => sum + cpuTicks(b.pid), 0);
    const ticksBefore = ticksOfBots();
    const redisPid = p.store === 'redis' ? redisServerPid() : null;
    const redisBefore = redisPid === null ? 0 : cpuTicks(redisPid);
    const machineBefore = machineTicks();
    const ownBefore = process.cpuUsage();
    const start = Date.now();
    const sent = await sendOpenLoop((i) => bots[i % bots.length]!.url, plan, customer, textOf, ANSWER_TIMEOUT_MS);
    const deadline = Math.max(...sent.map((s) => s.sentAt)) + MIRROR_TIMEOUT_MS;
    for (;;) {
      matcher.scan(slack.calls);
      if (sent.every((s) => matcher.textAt.has(s.text)) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const ticks = ticksOfBots() - ticksBefore;
    const redisTicks = redisPid === null ? null : cpuTicks(redisPid) - redisBefore;
    const machineAfter = machineTicks();
    const own = process.cpuUsage(ownBefore);
    const wallMs = Date.now() - start;
    const memory = rss.map((r) => r.stop());
    const peaks = memory.map((m) => m.peakMiB).filter((m) => m !== null);
    const loadAverage1mAfter = load1m();
    const figures = stepFigures(sent, matcher, slack.calls.slice(callsBefore),
      { ms: (ticks * 1000) / p.clockTicksPerSecond, wallMs },
      { ms: (own.user + own.system) / 1000, wallMs }, p.openFirst === true);
    const perMessage = (ms: number) => Math.round((ms / sent.length) * 1000) / 1000;
    return {
      offeredRatePerSecond: p.ratePerSecond,
      ...(openings ? { openings } : {}),
      ...(warmUp ? { warmUp } : {}),
      ...figures,
      /** redis-server's CPU over the window (null: not on this machine, or the embedded store). */
      redisCpuMsPerMessage: redisTicks === null ? null : perMessage((redisTicks * 1000) / p.clockTicksPerSecond),
      /** Every core's busy time over the window, as a share of all of them: how full the machine was. */
      machineCpuPercentOfAllCores: Math.round(((machineAfter.busy - machineBefore.busy) / Math.max(1, machineAfter.total - machineBefore.total)) * 1000) / 10,
      /** With replicas: the largest of them (each replica's own is in replicaRssMiB). */
      botRssMiB: { peak: peaks.length ? Math.max(...peaks) : null, atEnd: memory[0]!.lastMiB, samples: memory[0]!.samples },
      ...(replicas > 1 ? { replicas, replicaRssMiB: memory.map((m) => m.peakMiB) } : {}),
      ...(limits.length ? { cpuLimitPerBot: { cores: p.cpuLimitCores, how: limits[0]!.kind } } : {}),
      loadAverage1mBefore,
      loadAverage1mAfter,
      botLog: {
        warnings: bots.reduce((n, b) => n + b.logs.warnings, 0),
        errors: bots.reduce((n, b) => n + b.logs.errors, 0),
        firstProblems: bots.flatMap((b) => b.logs.firstProblems).slice(0, 5),
      },
    };
  } finally {
    await Promise.all(bots.map((b) => b.stop()));
    for (const limit of limits) limit.release();
    for (const dataDir of dataDirs) rmSync(dataDir, { recursive: true, force: true });
    if (p.store === 'redis') await deleteRedisKeys(REDIS_URL, prefix);
  }
}

/**
 * Each customer writes once, {@link IN_FLIGHT} at a time, and this waits until
 * every one of those texts is in its new thread and neither fake has had a
 * call for 500 ms (the header cards' lanes are done): what follows measures
 * follow-ups only. Returns how long that took and each opening's mirror latency.
 */
async function openBeforeWindow(bots: readonly BenchBot[], slack: SlackFake, graph: GraphFake, conversations: number, customer: (c: number) => { from: string; name: string }) {
  const started = Date.now();
  const textOf = (c: number) => `opening c${String(c).padStart(4, '0')}: hello, I have a question`;
  const sentAt = new Map<string, number>();
  await inFlight(conversations, async (c) => {
    const { from, name } = customer(c);
    sentAt.set(textOf(c), Date.now());
    const answer = await sendCustomerMessage(bots[c % bots.length]!.url, from, name, textOf(c));
    if (answer.status !== 200) throw new Error(`opening conversation ${c} before the step was answered ${answer.status}; the bot's log (botLog) may say why`);
  });
  const opened = new PostMatcher(new Set(), () => undefined);
  await waitUntil('every opening mirrored into its thread', () => {
    opened.scan(slack.calls);
    return [...sentAt.keys()].every((t) => opened.textAt.has(t));
  });
  await waitForQuiet(slack, graph, 500);
  return {
    conversations,
    inFlight: IN_FLIGHT,
    tookMs: Date.now() - started,
    /** Webhook sent → its text posted in the new thread (after the header card). */
    mirrorMs: distribution([...sentAt].map(([t, at]) => opened.textAt.get(t)! - at)),
  };
}

/**
 * Every customer writes again for `warmUpSeconds` at the step's rate (texts of their own), and
 * this waits until each is in its thread and the fakes are quiet: the bot's follow-up path has
 * run thousands of times before the window starts. Returns what it sent and how it went.
 */
async function warmUpBeforeWindow(bots: readonly BenchBot[], slack: SlackFake, graph: GraphFake, p: StepParams, customer: (c: number) => { from: string; name: string }) {
  const started = Date.now();
  const plan = steadyRate(p.ratePerSecond, p.warmUpSeconds!, p.conversations);
  const textOf = (m: PlannedMessage) => `warm-up ${p.ratePerSecond}/s c${String(m.conversation).padStart(4, '0')} s${String(m.seq).padStart(4, '0')}`;
  const sent = await sendOpenLoop((i) => bots[i % bots.length]!.url, plan, customer, textOf, ANSWER_TIMEOUT_MS);
  const seen = new PostMatcher(new Set(), () => undefined);
  await waitUntil('every warm-up message mirrored into its thread', () => {
    seen.scan(slack.calls);
    return sent.every((m) => seen.textAt.has(m.text));
  });
  await waitForQuiet(slack, graph, 300);
  return {
    seconds: p.warmUpSeconds!,
    messages: sent.length,
    not200: sent.filter((m) => m.status !== 200).length,
    mirrorMs: distribution(sent.map((m) => seen.textAt.get(m.text)! - m.sentAt)),
    tookMs: Date.now() - started,
  };
}
