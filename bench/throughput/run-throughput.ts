import { startSlackFake } from '../../tests/fakes/slack/index.js';
import { startGraphFake } from '../../tests/fakes/whatsapp/start-graph-fake.js';
import { SECRETS, type StoreKind } from '../../tests/support/start-desk.js';
import { startWhenQuiet } from '../support/quiet-machine.js';
import { clockTicksPerSecond } from './proc-stats.js';
import { runStep } from './run-step.js';
import { sourceState } from './source-state.js';
import { MIRROR_P99_LIMIT_MS } from './step-figures.js';

export interface ThroughputParams {
  store: StoreKind;
  /** Offered rates, msg/s, in the order they are run. */
  rates: number[];
  secondsPerStep: number;
  conversations: number;
  /** Stop after this many failing steps in a row. */
  stopAfterFailures: number;
  keepSpacing: boolean;
  /** Open the conversations before each measured window (run-step.ts `openFirst`): a steady state of follow-ups. */
  openFirst: boolean;
  /** With `openFirst`: seconds of unmeasured follow-ups at each step's rate before its window (run-step.ts). */
  warmUpSeconds: number;
  /** Without `openFirst`: warm the process on other customers first (run-step.ts `warmOthersFirst`); the window still opens its conversations. */
  warmOthersFirst?: boolean;
}

/** The issue's steps and step length; a run with others is a shorter (smoke) run and says so in its results. */
export const DEFAULT_RATES = [25, 50, 100, 200, 300, 400, 500, 600, 800];
export const DEFAULT_SECONDS_PER_STEP = 10;
/**
 * Steady shape: unmeasured follow-ups before each window. A fresh bot spends its first seconds
 * compiling its paths (measured: ~20 % more CPU per message in the first 5 s of load than after);
 * a desk that has been running has done that long ago.
 */
export const DEFAULT_WARMUP_SECONDS = 5;

type Step = Awaited<ReturnType<typeof runStep>>;

/**
 * The fair throughput benchmark (issue 18): this process is the load (sender
 * plus the fake Slack and Graph API, no rate limits); the bot runs in its own
 * process, a fresh one per step. Rates step up until two steps in a row fail.
 */
export async function runThroughput(p: ThroughputParams) {
  const atStart = await startWhenQuiet();
  const source = sourceState();
  if (source.uncommittedSrcFiles?.length) console.warn(`\n   Note: src/ has uncommitted changes (${source.uncommittedSrcFiles.join(', ')}); the bot runs them as they are now.`);
  const clk = clockTicksPerSecond();
  const slack = await startSlackFake({ postRate: false, tierRate: false });
  const graph = await startGraphFake({ accessToken: SECRETS.waToken, phoneNumberId: SECRETS.phoneNumberId, appSecret: SECRETS.waAppSecret, throughput: false, pairRate: false });
  const steps: Step[] = [];
  let failingInARow = 0;
  try {
    for (const rate of p.rates) {
      const step = await runStep({ store: p.store, ratePerSecond: rate, seconds: p.secondsPerStep, conversations: p.conversations, keepSpacing: p.keepSpacing, clockTicksPerSecond: clk, openFirst: p.openFirst, warmUpSeconds: p.warmUpSeconds, warmOthersFirst: p.warmOthersFirst === true }, slack, graph);
      steps.push(step);
      const m = step.mirrorMs;
      console.log(`\n     ${p.store} ${rate}/s: achieved ${step.achievedRatePerSecond}/s, ack p99 ${step.ackMs.p99} ms, mirror p50/p99 ${m.p50}/${m.p99} ms, lost ${step.lost}, not 200 ${step.not200}, bot ${step.botCpuMsPerMessage} ms CPU/msg, machine ${step.machineCpuPercentOfAllCores} % busy, RSS ${step.botRssMiB.peak} MiB, load ${step.loadAverage1mBefore}→${step.loadAverage1mAfter}: ${step.passed ? 'pass' : `FAIL (${step.failures.join(', ')})`}`);
      failingInARow = step.passed ? 0 : failingInARow + 1;
      if (failingInARow >= p.stopAfterFailures) break;
    }
  } finally {
    await Promise.all([slack.close(), graph.close()]);
  }
  const passing = steps.filter((s) => s.passed).map((s) => s.offeredRatePerSecond);
  const top = Math.max(0, ...passing);
  const firstFailure = steps.find((s) => !s.passed)?.offeredRatePerSecond ?? null;
  return {
    params: {
      ...p,
      passWhen: `mirror p99 < ${MIRROR_P99_LIMIT_MS} ms, 0 lost, every webhook answered 200`,
      appPostSpacingMs: p.keepSpacing ? 'as shipped (1020)' : 0,
      fakeLimits: 'none (Slack postRate/tierRate false, Graph throughput/pairRate false)',
      botProcess: `npm run build, then node${p.keepSpacing ? '' : ' --import bench/throughput/lift-post-spacing-preload.mjs'} dist/main.js, LOG_LEVEL=info`,
      clockTicksPerSecond: clk,
    },
    source,
    /** False when the rates or step length differ from the issue's (a shortened run: its figures are not the benchmark's). */
    fullRun: p.rates.join(',') === DEFAULT_RATES.join(',') && p.secondsPerStep === DEFAULT_SECONDS_PER_STEP && p.conversations === 200 && !p.keepSpacing && (!(p.openFirst || p.warmOthersFirst) || p.warmUpSeconds === DEFAULT_WARMUP_SECONDS),
    ...atStart,
    /** The highest offered rate whose step passed (0 when none did). */
    maxPassingRatePerSecond: top,
    /** The lowest offered rate that failed: a pass above it was not sustained all the way up. */
    firstFailingRatePerSecond: firstFailure,
    ratesNotRun: p.rates.slice(steps.length),
    steps,
  };
}
