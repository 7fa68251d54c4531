import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { SlackFake } from '../../tests/fakes/slack/index.js';
import type { GraphFake } from '../../tests/fakes/whatsapp/start-graph-fake.js';
import { REDIS_URL, SECRETS, type StoreKind } from '../../tests/support/start-desk.js';
import { freePort } from '../../tests/support/spawn-bot.js';
import { deleteRedisKeys } from '../support/delete-redis-keys.js';
import { PostMatcher } from '../latency/match-posts.js';
import { steadyRate, type PlannedMessage } from '../latency/schedules.js';
import { spawnBenchBot } from './spawn-bench-bot.js';
import { cpuTicks, sampleRss } from './proc-stats.js';
import { sendOpenLoop } from './send-open-loop.js';
import { stepFigures } from './step-figures.js';

export interface StepParams {
  store: StoreKind;
  ratePerSecond: number;
  seconds: number;
  conversations: number;
  /** Run the bot with the shipped 1 s post spacing (a check that the preload is what lifts it). */
  keepSpacing: boolean;
  clockTicksPerSecond: number;
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
 */
export async function runStep(p: StepParams, slack: SlackFake, graph: GraphFake) {
  slack.reset();
  const dataDir = mkdtempSync(join(tmpdir(), 'threaddesk-throughput-'));
  const prefix = `td-bench-${randomBytes(4).toString('hex')}:`;
  const env: Record<string, string> = {
    PORT: String(await freePort()), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info',
    SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRETS.slackSigning, SLACK_CHANNEL: 'C0SUPPORT', SLACK_API_URL: slack.url,
    WHATSAPP_ACCESS_TOKEN: SECRETS.waToken, WHATSAPP_APP_SECRET: SECRETS.waAppSecret, WHATSAPP_VERIFY_TOKEN: SECRETS.waVerify,
    WHATSAPP_PHONE_NUMBER_ID: SECRETS.phoneNumberId, WHATSAPP_API_URL: graph.url,
    INBOUND_API_SECRET: SECRETS.apiSecret,
    SHUTDOWN_DRAIN_SECONDS: '0',
    ...(p.store === 'redis' ? { REDIS_URL, REDIS_PREFIX: prefix } : {}),
  };
  const bot = await spawnBenchBot(env, { keepSpacing: p.keepSpacing });
  graph.webhookUrl = `${bot.url}/webhooks/whatsapp`;
  try {
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const pad = (n: number) => String(n).padStart(4, '0');
    const names = Array.from({ length: p.conversations }, (_, c) => `Throughput Customer ${pad(c)}`);
    const customer = (c: number) => ({ from: `4915560${pad(c)}`, name: names[c]! });
    const textOf = (m: PlannedMessage) => `tp ${p.ratePerSecond}/s c${pad(m.conversation)} s${pad(m.seq)}: is my order on its way?`;
    const matcher = new PostMatcher(new Set(names), (json) => NAME.exec(json)?.[0]);
    const plan = steadyRate(p.ratePerSecond, p.seconds, p.conversations);

    const loadAverage1mBefore = load1m();
    const rss = sampleRss(bot.pid);
    const ticksBefore = cpuTicks(bot.pid);
    const ownBefore = process.cpuUsage();
    const start = Date.now();
    const sent = await sendOpenLoop(bot.url, plan, customer, textOf, ANSWER_TIMEOUT_MS);
    const deadline = Math.max(...sent.map((s) => s.sentAt)) + MIRROR_TIMEOUT_MS;
    for (;;) {
      matcher.scan(slack.calls);
      if (sent.every((s) => matcher.textAt.has(s.text)) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const ticks = cpuTicks(bot.pid) - ticksBefore;
    const own = process.cpuUsage(ownBefore);
    const wallMs = Date.now() - start;
    const memory = rss.stop();
    const loadAverage1mAfter = load1m();
    const figures = stepFigures(sent, matcher, slack.calls,
      { ms: (ticks * 1000) / p.clockTicksPerSecond, wallMs },
      { ms: (own.user + own.system) / 1000, wallMs });
    return {
      offeredRatePerSecond: p.ratePerSecond,
      ...figures,
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
