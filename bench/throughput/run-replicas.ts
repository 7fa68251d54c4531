import { startSlackFake } from '../../tests/fakes/slack/index.js';
import { startGraphFake } from '../../tests/fakes/whatsapp/start-graph-fake.js';
import { SECRETS } from '../../tests/support/start-desk.js';
import { startWhenQuiet } from '../support/quiet-machine.js';
import { clockTicksPerSecond } from './proc-stats.js';
import { runStep } from './run-step.js';
import { sourceState } from './source-state.js';
import { MIRROR_P99_LIMIT_MS } from './step-figures.js';

export interface ReplicasParams {
  store: 'redis';
  /** Offered rates, msg/s; each is run with one replica, then with two. */
  rates: number[];
  secondsPerStep: number;
  conversations: number;
  /** A series (one or two replicas) stops after this many failing steps in a row; the run ends when both have. */
  stopAfterFailures: number;
  /** Open the conversations before each measured window (run-step.ts `openFirst`): the series compare steady states. */
  openFirst: boolean;
  /** With `openFirst`: seconds of unmeasured follow-ups at each step's rate before its window (run-step.ts). */
  warmUpSeconds: number;
  /**
   * Cap every bot process at this many cores (run-step.ts `cpuLimitCores`, a cgroup each, as a
   * container's CPU limit): one replica then has that budget and two have twice it, which the
   * machine can give them beside the load and Redis. Default: no limit (the replicas and
   * everything else share the machine's cores).
   */
  cpuLimitCores?: number;
}

type Step = Awaited<ReturnType<typeof runStep>>;

/** Two replicas on one Redis against one alone (issue 18): the issue's rates, then 100 msg/s apart up to 1,000 (where the ratio is decided), and 1,200. */
export const DEFAULT_REPLICA_RATES = [25, 50, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1200];

/**
 * With each replica capped at {@link DEFAULT_REPLICA_CPU_LIMIT} of a core: 50 msg/s apart where
 * one capped replica tops out (~150–200/s, probed) and two do (~300–400/s).
 */
export const DEFAULT_CAPPED_REPLICA_RATES = [50, 100, 150, 200, 250, 300, 350, 400, 500, 600];

/**
 * Half a core per replica: two of them then get one core between them and leave the other to
 * the load process and Redis, so the second replica's capacity is its own, as it would be on a
 * node or container of its own.
 */
export const DEFAULT_REPLICA_CPU_LIMIT = 0.5;

/**
 * The customer→thread path of `throughput` (same steps, figures and pass
 * rule) on Redis, each rate run twice, back to back: one bot process, then two
 * on the same REDIS_URL and REDIS_PREFIX (each on its own PORT) with the
 * webhooks alternating between them, as a round-robin balancer would. Run
 * interleaved so both series see the same machine. Reports each series' max
 * passing rate and their ratio (two ÷ one).
 */
export async function runReplicas(p: ReplicasParams) {
  const atStart = await startWhenQuiet();
  const clk = clockTicksPerSecond();
  const slack = await startSlackFake({ postRate: false, tierRate: false });
  const graph = await startGraphFake({ accessToken: SECRETS.waToken, phoneNumberId: SECRETS.phoneNumberId, appSecret: SECRETS.waAppSecret, throughput: false, pairRate: false });
  const series = { one: [] as Step[], two: [] as Step[] };
  const failing = { one: 0, two: 0 };
  try {
    for (const rate of p.rates) {
      for (const [key, replicas] of [['one', 1], ['two', 2]] as const) {
        if (failing[key] >= p.stopAfterFailures) continue;
        const step = await runStep({ store: 'redis', ratePerSecond: rate, seconds: p.secondsPerStep, conversations: p.conversations, keepSpacing: false, clockTicksPerSecond: clk, replicas, openFirst: p.openFirst, warmUpSeconds: p.warmUpSeconds, ...(p.cpuLimitCores === undefined ? {} : { cpuLimitCores: p.cpuLimitCores }) }, slack, graph);
        series[key].push(step);
        console.log(`\n     ${replicas} replica${replicas > 1 ? 's' : ''} ${rate}/s: achieved ${step.achievedRatePerSecond}/s, ack p99 ${step.ackMs.p99} ms, mirror p50/p99 ${step.mirrorMs.p50}/${step.mirrorMs.p99} ms, lost ${step.lost}, not 200 ${step.not200}, bots ${step.botCpuMsPerMessage} ms CPU/msg, Redis ${step.redisCpuMsPerMessage}, machine ${step.machineCpuPercentOfAllCores} % busy, RSS ${step.botRssMiB.peak} MiB, load ${step.loadAverage1mBefore}→${step.loadAverage1mAfter}: ${step.passed ? 'pass' : `FAIL (${step.failures.join(', ')})`}`);
        failing[key] = step.passed ? 0 : failing[key] + 1;
      }
      if (failing.one >= p.stopAfterFailures && failing.two >= p.stopAfterFailures) break;
    }
  } finally {
    await Promise.all([slack.close(), graph.close()]);
  }
  const top = (steps: Step[]) => Math.max(0, ...steps.filter((s) => s.passed).map((s) => s.offeredRatePerSecond));
  const one = top(series.one);
  const two = top(series.two);
  return {
    params: { ...p, passWhen: `mirror p99 < ${MIRROR_P99_LIMIT_MS} ms, 0 lost, every webhook answered 200`, balancing: 'webhook i goes to replica i mod 2', cpuLimitPerReplica: p.cpuLimitCores === undefined ? 'none (every process shares the machine\'s cores)' : `${p.cpuLimitCores} core each (a cgroup CFS quota per bot process, 10 ms period)`, clockTicksPerSecond: clk },
    source: sourceState(),
    ...atStart,
    oneReplica: { maxPassingRatePerSecond: one, firstFailingRatePerSecond: series.one.find((s) => !s.passed)?.offeredRatePerSecond ?? null, steps: series.one },
    twoReplicas: { maxPassingRatePerSecond: two, firstFailingRatePerSecond: series.two.find((s) => !s.passed)?.offeredRatePerSecond ?? null, steps: series.two },
    /** Two replicas' max passing rate ÷ one replica's (null when one replica passed no step). Above 1: the second replica adds capacity. */
    ratioTwoToOne: one > 0 ? Math.round((two / one) * 100) / 100 : null,
    /** True when a series passed its highest rate run: its true max lies above (the ratio is then a lower or upper bound). */
    oneReplicaPassedTopRate: series.one.at(-1)?.passed === true && series.one.length === p.rates.length,
    twoReplicasPassedTopRate: series.two.at(-1)?.passed === true && series.two.length === p.rates.length,
  };
}
