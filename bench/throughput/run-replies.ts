import { startSlackFake } from '../../tests/fakes/slack/index.js';
import { startGraphFake } from '../../tests/fakes/whatsapp/start-graph-fake.js';
import { SECRETS, type StoreKind } from '../../tests/support/start-desk.js';
import { startWhenQuiet } from '../support/quiet-machine.js';
import { agentsFor } from './open-conversations.js';
import { clockTicksPerSecond } from './proc-stats.js';
import { REPLY_P99_LIMIT_MS } from './reply-figures.js';
import { runReplyStep } from './run-reply-step.js';
import { sourceState } from './source-state.js';

export interface RepliesParams {
  store: StoreKind;
  /** Offered reply rates, replies/s, in the order they are run. */
  rates: number[];
  secondsPerStep: number;
  conversations: number;
  /** The status storm: sent, delivered and read webhooks for every accepted reply. */
  statuses: boolean;
  stopAfterFailures: number;
}

export const DEFAULT_REPLY_RATES = [25, 50, 100, 200, 300, 400, 500];
export const DEFAULT_REPLY_SECONDS_PER_STEP = 10;

type Step = Awaited<ReturnType<typeof runReplyStep>>;

/**
 * The reverse path (issue 18): agents' thread replies → the customer on
 * WhatsApp, stepped like `throughput` (a fresh bot process per step, load and
 * unlimited fakes here), with or without the status storm. Stops after two
 * failing steps in a row.
 */
export async function runReplies(p: RepliesParams) {
  const atStart = await startWhenQuiet();
  const clk = clockTicksPerSecond();
  const agents = agentsFor(p.conversations);
  const users = Object.fromEntries(agents.map((u, a) => [u, { name: `agent${a}`, real_name: `Bench Agent ${a}` }]));
  const slack = await startSlackFake({ postRate: false, tierRate: false, users });
  // No status webhooks from the fake itself: the storm (status-storm.ts) posts them when asked for.
  const graph = await startGraphFake({ accessToken: SECRETS.waToken, phoneNumberId: SECRETS.phoneNumberId, appSecret: SECRETS.waAppSecret, throughput: false, pairRate: false });
  const steps: Step[] = [];
  let failingInARow = 0;
  try {
    for (const rate of p.rates) {
      const step = await runReplyStep({ store: p.store, ratePerSecond: rate, seconds: p.secondsPerStep, conversations: p.conversations, statuses: p.statuses, clockTicksPerSecond: clk }, slack, graph);
      steps.push(step);
      const r = step.replyMs;
      const st = step.statusWebhooks;
      console.log(`\n     ${p.store}${p.statuses ? ' +statuses' : ''} ${rate}/s: achieved ${step.achievedRatePerSecond}/s, ack p99 ${step.ackMs.p99} ms, reply p50/p99 ${r.p50}/${r.p99} ms (from sent p99 ${step.replyFromSentMs.p99}), lost ${step.lost}, not 200 ${step.not200}${st ? `, statuses ${st.sent} ack p99 ${st.ackMs.p99} ms not 200 ${st.not200}` : ''}, bot ${step.botCpuMsPerReply} ms CPU/reply, RSS ${step.botRssMiB.peak} MiB, load ${step.loadAverage1mBefore}→${step.loadAverage1mAfter}: ${step.passed ? 'pass' : `FAIL (${step.failures.join(', ')})`}`);
      failingInARow = step.passed ? 0 : failingInARow + 1;
      if (failingInARow >= p.stopAfterFailures) break;
    }
  } finally {
    await Promise.all([slack.close(), graph.close()]);
  }
  const top = Math.max(0, ...steps.filter((s) => s.passed).map((s) => s.offeredRatePerSecond));
  return {
    params: {
      ...p,
      passWhen: `reply p99 (event sent → Graph send) < ${REPLY_P99_LIMIT_MS} ms, 0 lost, 0 sent twice, every event${p.statuses ? ' and status webhook' : ''} answered 200`,
      agents: agents.length,
      appSpacingMs: "0 for 'slack:post', 'slack:tier3' and 'whatsapp:number' (maxConcurrent as shipped)",
      fakeLimits: 'none (Slack postRate/tierRate false, Graph throughput/pairRate false)',
      botProcess: 'npm run build, then node --import bench/throughput/lift-reply-budgets-preload.mjs dist/main.js, LOG_LEVEL=info',
      clockTicksPerSecond: clk,
    },
    source: sourceState(),
    fullRun: p.rates.join(',') === DEFAULT_REPLY_RATES.join(',') && p.secondsPerStep === DEFAULT_REPLY_SECONDS_PER_STEP && p.conversations === 200,
    ...atStart,
    maxPassingRatePerSecond: top,
    firstFailingRatePerSecond: steps.find((s) => !s.passed)?.offeredRatePerSecond ?? null,
    ratesNotRun: p.rates.slice(steps.length),
    steps,
  };
}
