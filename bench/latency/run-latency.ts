import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { StoreKind } from '../../tests/support/start-desk.js';
import { startBenchDesk } from '../support/start-bench-desk.js';
import { sendCustomerMessage, type SentWebhook } from '../support/send-customer-message.js';
import { distribution } from '../support/percentiles.js';
import { liftPostSpacing } from './lift-post-spacing.js';
import { PostMatcher } from './match-posts.js';
import { steadyRate, withinPostBudget, type PlannedMessage } from './schedules.js';

export type LatencyParams = { store: StoreKind } & (
  | { mode: 'pipeline'; ratePerSecond: number; seconds: number; conversations: number }
  | { mode: 'as-shipped'; conversations: number; firstGapMs: number; followUpGapMs: number }
);

/** After the last message is sent, how long to wait for the last mirror before counting the rest as missing. */
const FINISH_TIMEOUT_MS = 15_000;
const NAME = /Latency Customer \d{4}/;
/** The event-loop probe's timer period; its histogram holds whole periods, so this is taken off. */
const LOOP_RESOLUTION_MS = 10;

/**
 * Mirror latency: a customer's signed WhatsApp webhook is accepted by the bot
 * → the fake Slack receives the chat.postMessage carrying that text. Messages
 * are sent open loop on a fixed schedule (a late response never delays the
 * next message). The fakes enforce no limits.
 */
export async function runLatency(p: LatencyParams) {
  const lifted = p.mode === 'pipeline' ? liftPostSpacing() : undefined;
  const plan: PlannedMessage[] = p.mode === 'pipeline'
    ? steadyRate(p.ratePerSecond, p.seconds, p.conversations)
    : withinPostBudget(p.conversations, p.firstGapMs, p.followUpGapMs);
  const desk = await startBenchDesk({
    store: p.store,
    slack: { postRate: false, tierRate: false },
    graph: { throughput: false, pairRate: false },
  });
  try {
    const pad = (n: number) => String(n).padStart(4, '0');
    const names = Array.from({ length: p.conversations }, (_, c) => `Latency Customer ${pad(c)}`);
    const textOf = (m: PlannedMessage) => `lat c${pad(m.conversation)} s${pad(m.seq)}: is my order on its way?`;
    const matcher = new PostMatcher(new Set(names), (json) => NAME.exec(json)?.[0]);

    const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    loop.enable();
    const cpuBefore = process.cpuUsage();
    const start = Date.now();
    const inFlight: Array<Promise<SentWebhook & { planned: PlannedMessage; late: number }>> = [];
    for (const m of plan) {
      const wait = start + m.atMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const late = Date.now() - (start + m.atMs);
      inFlight.push(sendCustomerMessage(desk.app.url, `4915550${pad(m.conversation)}`, names[m.conversation]!, textOf(m)).then((s) => ({ ...s, planned: m, late })));
    }
    const sent = await Promise.all(inFlight);
    const sendingMs = Math.max(...sent.map((s) => s.sentAt)) - Math.min(...sent.map((s) => s.sentAt));
    const deadline = Date.now() + FINISH_TIMEOUT_MS;
    while (true) {
      matcher.scan(desk.slack.calls);
      if (sent.every((s) => matcher.textAt.has(s.text)) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const cpu = process.cpuUsage(cpuBefore);
    const wallMs = Date.now() - start;
    loop.disable();

    const figures = (rows: typeof sent) => {
      const matched = rows.filter((s) => matcher.textAt.has(s.text));
      return {
        fromAcceptedMs: distribution(matched.map((s) => matcher.textAt.get(s.text)! - s.answeredAt)),
        fromSentMs: distribution(matched.map((s) => matcher.textAt.get(s.text)! - s.sentAt)),
        webhookRoundTripMs: distribution(rows.map((s) => s.answeredAt - s.sentAt)),
        // The bot may post before its HTTP answer reaches the client: the outbox starts on append.
        postedBeforeAccepted: matched.filter((s) => matcher.textAt.get(s.text)! < s.answeredAt).length,
        missing: rows.length - matched.length,
      };
    };
    const firsts = sent.filter((s) => s.planned.seq === 0);
    const followUps = sent.filter((s) => s.planned.seq > 0);
    const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - LOOP_RESOLUTION_MS) * 10) / 10);
    return {
      params: {
        ...p,
        ...(lifted ? { appPostSpacingMs: 0, shippedPostSpacingMs: lifted.was } : { appPostSpacingMs: 'as shipped (1000)' }),
        fakeLimits: 'none (Slack postRate/tierRate false, Graph throughput/pairRate false)',
        logLevel: 'info',
      },
      messagesSent: sent.length,
      webhooksNot200: sent.filter((s) => s.status !== 200).length,
      sendingSeconds: Math.round(sendingMs / 100) / 10,
      achievedRatePerSecond: sendingMs > 0 ? Math.round(((sent.length - 1) / (sendingMs / 1000)) * 100) / 100 : null,
      sendLatenessMs: distribution(sent.map((s) => s.late)),
      followUp: { count: followUps.length, ...figures(followUps) },
      first: {
        count: firsts.length,
        ...figures(firsts),
        headerFromAcceptedMs: distribution(firsts.filter((s) => matcher.headerAt.has(names[s.planned.conversation]!))
          .map((s) => matcher.headerAt.get(names[s.planned.conversation]!)! - s.answeredAt)),
      },
      coalescedPosts: matcher.coalescedPosts,
      processCpuPercentOfOneCore: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 1000) / 10,
      eventLoopDelayMs: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
      activeLanesAtEnd: desk.app.worker.activeLanes,
      logWarnings: desk.logs.warnings,
      logErrors: desk.logs.errors,
      firstLogProblems: [...desk.logs.firstProblems],
    };
  } finally {
    await desk.close();
  }
}
