import { runBurst, type BurstParams } from './burst/run-burst.js';
import { runCost, type CostParams } from './cost/run-cost.js';
import { runIdle, type IdleParams } from './idle/run-idle.js';
import { runStats, type StatsParams } from './stats/run-stats.js';
import { runLimiter, type LimiterParams } from './limiter/run-limiter.js';
import { runLatency, type LatencyParams } from './latency/run-latency.js';
import { QUIET_WAIT_MS } from './support/quiet-machine.js';
import { DEFAULT_RATES, DEFAULT_SECONDS_PER_STEP, DEFAULT_WARMUP_SECONDS, runThroughput, type ThroughputParams } from './throughput/run-throughput.js';
import { DEFAULT_REPLY_RATES, DEFAULT_REPLY_SECONDS_PER_STEP, runReplies, type RepliesParams } from './throughput/run-replies.js';
import { DEFAULT_CAPPED_REPLICA_RATES, DEFAULT_REPLICA_CPU_LIMIT, DEFAULT_REPLICA_RATES, runReplicas, type ReplicasParams } from './throughput/run-replicas.js';
import { runAssignment, type AssignmentParams } from './assignment/run-assignment.js';
import { runTimers, type TimersParams } from './timers/run-timers.js';
import { runSigkillScenario } from '../tests/support/sigkill-scenario.js';
import { runWebchat, type WebchatParams } from './webchat/run-webchat.js';

/** One configuration of a benchmark, run in its own process. */
export interface BenchCase {
  label: string;
  params: Record<string, unknown> & { store: 'embedded' | 'redis' };
  /** The parent kills the case's process after this long. */
  limitMs: number;
}

export interface Benchmark {
  name: string;
  /** One line for the results file and the printed heading. */
  what: string;
  cases(): BenchCase[];
  run(params: Record<string, unknown>): Promise<unknown>;
}

const envNumber = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

/** A comma-separated list of positive numbers from the environment, or the fallback. */
const envNumbers = (name: string, fallback: number[]) => {
  const v = (process.env[name] ?? '').split(',').map((x) => Number(x.trim())).filter((x) => Number.isFinite(x) && x > 0);
  return v.length ? v : fallback;
};

/** Every benchmark `npm run bench` knows, in the order it runs them. */
export const BENCHMARKS: readonly Benchmark[] = [
  {
    name: 'burst',
    what: 'N conversations × 10 customer messages at once into one channel; fake Slack enforces 3 posts burst then 1/s per channel and answers 429 beyond',
    cases: () => (['embedded', 'redis'] as const).flatMap((store) => [6, 20].map((n) => ({
      label: `${store} N=${n}`,
      params: { store, conversations: n, messagesPerConversation: 10 } satisfies BurstParams,
      limitMs: 30_000 + (2 * n * 3 + 20) * 1000,
    }))),
    run: (p) => runBurst(p as unknown as BurstParams),
  },
  {
    name: 'latency',
    what: 'mirror latency: webhook accepted → fake Slack receives the chat.postMessage with that text; fakes without limits',
    cases: () => {
      const ratePerSecond = envNumber('BENCH_LATENCY_RATE', 20);
      const seconds = envNumber('BENCH_LATENCY_SECONDS', 60);
      const conversations = envNumber('BENCH_LATENCY_CONVERSATIONS', 200);
      const pipeline = (['embedded', 'redis'] as const).map((store) => ({
        label: `${store} pipeline ${ratePerSecond}/s`,
        params: { store, mode: 'pipeline', ratePerSecond, seconds, conversations } satisfies LatencyParams,
        limitMs: (seconds + 60) * 1000,
      }));
      const shipped = { store: 'embedded', mode: 'as-shipped', conversations: 8, firstGapMs: 2200, followUpGapMs: 1200 } satisfies LatencyParams;
      return [...pipeline, { label: 'embedded as shipped, within budget', params: shipped, limitMs: 90_000 }];
    },
    run: (p) => runLatency(p as unknown as LatencyParams),
  },
  {
    name: 'cost',
    what: 'where an inbound message goes, counted: store calls (reads, writes, by operation), embedded COMMITs and fsyncs, Slack calls and process CPU per customer message, first messages and follow-ups apart, none coalesced',
    cases: () => (['embedded', 'redis'] as const).map((store) => ({
      label: store,
      params: { store, conversations: 20, followUpsPerConversation: 10, warmUpConversations: 20, ...(process.env.BENCH_COST_BEFORE ? { before: process.env.BENCH_COST_BEFORE } : {}) } satisfies CostParams,
      limitMs: 120_000,
    })),
    run: (p) => runCost(p as unknown as CostParams),
  },
  {
    name: 'limiter',
    what: "the ceiling of one destination's limiter: jobs/s through Limiters.schedule (bottleneck, in process and in Redis mode) for one destination with no spacing, maxConcurrent 1/4/16, jobs holding their slot 0 or 1 ms",
    cases: () => (['embedded', 'redis'] as const).map((store) => ({
      label: store === 'embedded' ? 'in process' : 'redis',
      params: { store, jobs: envNumber('BENCH_LIMITER_JOBS', 2000) } satisfies LimiterParams,
      limitMs: 180_000,
    })),
    run: (p) => runLimiter(p as unknown as LimiterParams),
  },
  {
    name: 'throughput',
    what: 'the bot in its own process (a fresh one per step), load and fakes (no limits) in another: offered rate stepped up over 200 conversations; ack and mirror latency, lost, CPU/msg, RSS, load before/after; pass = mirror p99 < 100 ms, 0 lost, all 200',
    cases: () => {
      const rates = envNumbers('BENCH_THROUGHPUT_RATES', DEFAULT_RATES);
      const secondsPerStep = envNumber('BENCH_THROUGHPUT_SECONDS', DEFAULT_SECONDS_PER_STEP);
      const conversations = envNumber('BENCH_THROUGHPUT_CONVERSATIONS', 200);
      const keepSpacing = process.env.BENCH_THROUGHPUT_KEEP_SPACING === '1';
      const warmUpSeconds = envNumber('BENCH_THROUGHPUT_WARMUP_SECONDS', DEFAULT_WARMUP_SECONDS);
      // Per step at worst: bot start-up (≤ 30 s), 1 s settle, sending, 30 s for answers, 15 s for mirrors, 10 s shutdown.
      // Overrunning it would SIGKILL the case process and orphan that step's bot, so it is generous.
      // Three shapes per store: the steady state (the conversations opened before each step, so it
      // offers follow-ups only); each step opening its conversations (a burst of header cards) in a
      // fresh process; and the same burst in a process warmed on other customers first, as a desk
      // that has been running meets a rush of new conversations.
      const shapes = [
        { shape: 'steady (opened before)', openFirst: true, warmOthersFirst: false },
        { shape: 'openings in the step', openFirst: false, warmOthersFirst: false },
        { shape: 'openings in the step, warm process', openFirst: false, warmOthersFirst: true },
      ];
      return (['embedded', 'redis'] as const).flatMap((store) => shapes.map(({ shape, openFirst, warmOthersFirst }) => ({
        label: `${store}, ${shape}`,
        params: { store, rates, secondsPerStep, conversations, stopAfterFailures: 2, keepSpacing, openFirst, warmOthersFirst, warmUpSeconds: openFirst || warmOthersFirst ? warmUpSeconds : 0 } satisfies ThroughputParams,
        limitMs: 60_000 + QUIET_WAIT_MS + rates.length * (secondsPerStep + 90 + (openFirst || warmOthersFirst ? 130 + warmUpSeconds + 120 : 0)) * 1000,
      })));
    },
    run: (p) => runThroughput(p as unknown as ThroughputParams),
  },
  {
    name: 'throughput-replies',
    what: 'the reverse path: agents\' thread replies (signed Slack events) → the Graph fake, the bot in its own process (fresh per step), 200 conversations opened and claimed first; stepped reply rate, without and with the status storm (sent/delivered/read webhooks per reply); pass = reply p99 < 100 ms from the event leaving, 0 lost, all 200',
    cases: () => {
      const rates = envNumbers('BENCH_REPLIES_RATES', DEFAULT_REPLY_RATES);
      const secondsPerStep = envNumber('BENCH_REPLIES_SECONDS', DEFAULT_REPLY_SECONDS_PER_STEP);
      const conversations = envNumber('BENCH_REPLIES_CONVERSATIONS', 200);
      // Per step at worst: start-up (≤ 30 s), settles, setup (≤ 2 × 120 s), sending, 30 s answers, 15 s arrivals, 90 s statuses, 10 s shutdown.
      return (['embedded', 'redis'] as const).flatMap((store) => [false, true].map((statuses) => ({
        label: `${store}${statuses ? ' + statuses' : ''}`,
        params: { store, rates, secondsPerStep, conversations, statuses, stopAfterFailures: 2 } satisfies RepliesParams,
        limitMs: 60_000 + QUIET_WAIT_MS + rates.length * (secondsPerStep + 420) * 1000,
      })));
    },
    run: (p) => runReplies(p as unknown as RepliesParams),
  },
  {
    name: 'throughput-replicas',
    what: 'the throughput steps on Redis with one bot process, then two on the same REDIS_URL and REDIS_PREFIX (webhooks alternating), each rate back to back; max passing rate of each and the ratio two ÷ one',
    cases: () => {
      const rates = envNumbers('BENCH_REPLICAS_RATES', DEFAULT_REPLICA_RATES);
      const secondsPerStep = envNumber('BENCH_THROUGHPUT_SECONDS', DEFAULT_SECONDS_PER_STEP);
      const conversations = envNumber('BENCH_THROUGHPUT_CONVERSATIONS', 200);
      const warmUpSeconds = envNumber('BENCH_THROUGHPUT_WARMUP_SECONDS', DEFAULT_WARMUP_SECONDS);
      const cappedRates = envNumbers('BENCH_CAPPED_REPLICAS_RATES', DEFAULT_CAPPED_REPLICA_RATES);
      const cap = envNumber('BENCH_REPLICA_CPU_LIMIT', DEFAULT_REPLICA_CPU_LIMIT);
      // Two steps per rate, each at worst as in `throughput` plus a second bot's start-up (≤ 30 s).
      const limitMs = (n: number) => 60_000 + QUIET_WAIT_MS + n * 2 * (secondsPerStep + 280 + warmUpSeconds + 120) * 1000;
      // The first case shares the machine's two cores between the replicas, the load and Redis;
      // the second gives each replica a CPU budget of its own (a cgroup quota, as a container's limit).
      return [{
        label: 'redis 1 vs 2 replicas, steady (opened before)',
        params: { store: 'redis', rates, secondsPerStep, conversations, stopAfterFailures: 2, openFirst: true, warmUpSeconds } satisfies ReplicasParams,
        limitMs: limitMs(rates.length),
      }, {
        label: `redis 1 vs 2 replicas of ${cap} core each, steady (opened before)`,
        params: { store: 'redis', rates: cappedRates, secondsPerStep, conversations, stopAfterFailures: 2, openFirst: true, warmUpSeconds, cpuLimitCores: cap } satisfies ReplicasParams,
        limitMs: limitMs(cappedRates.length),
      }];
    },
    run: (p) => runReplicas(p as unknown as ReplicasParams),
  },
  {
    name: 'assignment',
    what: 'routing and assignment decisions timed per call (routeQueue over 50 rules, rankSeats over 5,000 seats), then one assignment of a new waiting conversation end to end with 5,000 seats in 5 queues and 100,000 claimed conversations in the store; RSS and heap after loading',
    cases: () => (['embedded', 'redis'] as const).map((store) => ({
      label: store,
      params: {
        store, seats: envNumber('BENCH_ASSIGN_SEATS', 5000), queues: 5, offlineEvery: 10, maxChats: 40,
        openConversations: envNumber('BENCH_ASSIGN_CONVERSATIONS', 100_000), assignments: envNumber('BENCH_ASSIGN_RUNS', 500),
        rules: 50, decisionIterations: 20_000,
      } satisfies AssignmentParams,
      limitMs: 600_000,
    })),
    run: (p) => runAssignment(p as unknown as AssignmentParams),
  },
  {
    name: 'idle',
    what: 'after a little traffic, with the outbox empty: lane loops still running and CPU over 2 s',
    cases: () => (['embedded', 'redis'] as const).map((store) => ({
      label: store,
      params: { store, conversations: 3, messagesPerConversation: 3 } satisfies IdleParams,
      limitMs: 60_000,
    })),
    run: (p) => runIdle(p as unknown as IdleParams),
  },
  {
    name: 'stats',
    what: '/stats week (signed Slack slash command, Block Kit answer) and GET /api/stats over 7 days after 1,000,000 messages were recorded through the counters in bulk (100,000 conversations, 8 queues in 2 departments, 50 seats); target: both under 1 s',
    cases: () => (['embedded', 'redis'] as const).map((store) => ({
      label: store,
      params: { store, messages: envNumber('BENCH_STATS_MESSAGES', 1_000_000), messagesPerConversation: 10, queues: 8, seats: 50, requests: 20 } satisfies StatsParams,
      limitMs: 600_000,
    })),
    run: (p) => runStats(p as unknown as StatsParams),
  },
  {
    name: 'timers',
    what: '100,000 pending timers written through the store ports: 1,000 already due (a backlog after downtime), 6,000 due over the first 60 s (timed), the rest due over the next day; fired by one TimerScheduler on the system clock; target: firing lateness p99 under 1 s, with the memory they take',
    cases: () => (['embedded', 'redis'] as const).map((store) => ({
      label: store,
      params: { store, timers: envNumber('BENCH_TIMERS', 100_000), dueAtOnce: 1000, dueInWindow: envNumber('BENCH_TIMERS_WINDOW_COUNT', 6000), windowSeconds: 60 } satisfies TimersParams,
      limitMs: 900_000,
    })),
    run: (p) => runTimers(p as unknown as TimersParams),
  },
  {
    name: 'crash',
    what: 'recovery after kill -9: 500 customer messages over 50 conversations with three kills, then 100 agent replies with one; the platforms redeliver what got no 2xx',
    cases: () => (['embedded', 'redis'] as const).map((store) => ({ label: store, params: { store }, limitMs: 420_000 })),
    run: (p) => runSigkillScenario((p as { store: 'embedded' | 'redis' }).store),
  },
  {
    name: 'webchat',
    what: 'web chat: N widget sockets (this process) on one bot (its own process), agents\' Slack thread replies open loop while sockets are cut; bot RSS per connection, reply event → visitor socket latency, lost and repeated messages',
    cases: () => (['embedded', 'redis'] as const).map((store) => {
      const connections = envNumber('BENCH_WEBCHAT_CONNECTIONS', 1000);
      const ratePerSecond = envNumber('BENCH_WEBCHAT_RATE', 50);
      const repliesPerVisitor = envNumber('BENCH_WEBCHAT_REPLIES', 3);
      return {
        label: `${store} ${connections} sockets ${ratePerSecond} replies/s`,
        params: { store, connections, repliesPerVisitor, ratePerSecond, reconnects: envNumber('BENCH_WEBCHAT_RECONNECTS', 100), addresses: 50 } satisfies WebchatParams,
        limitMs: 600_000,
      };
    }),
    run: (p) => runWebchat(p as unknown as WebchatParams),
  },
];
